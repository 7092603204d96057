"""Time-based one-time passwords (RFC 6238), the optional second factor.

The QR code is drawn here as SVG and embedded as a ``data:`` URI: the secret must never travel to
an outside QR service, and the platform runs on intranets without one anyway.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import time

import pyotp
import segno

ISSUER = "spotcheck"
"""The name authenticator apps show above the code."""

# One step either side tolerates a phone clock that is up to 30 seconds off.
VALID_WINDOW = 1

_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """A fresh random secret: 32 base32 characters, 160 bits as RFC 4226 recommends."""
    return pyotp.random_base32()


def is_secret(value: str) -> bool:
    """Whether ``value`` looks like a secret made by :func:`new_secret` (it comes back from a form)."""
    if len(value) != 32:
        return False
    try:
        base64.b32decode(value, casefold=False)
    except (binascii.Error, ValueError):
        return False
    return True


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_code_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI, for an ``<img src>`` (CSP allows ``data:``)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def accepted_step(secret: str, code: str, last_step: int | None = None,
                  for_time: float | None = None) -> int | None:
    """The time step at which ``code`` (six digits, spaces ignored) is valid for ``secret`` now,
    if that step is newer than ``last_step``; else ``None``.

    A code is valid for :data:`VALID_WINDOW` steps either side of the current one. The caller
    stores the step it accepted and passes it back as ``last_step`` next time, so a code, once
    used, is refused for the rest of its window (RFC 6238 §5.2), and so is every older one.
    """
    code = code.replace(" ", "").strip()
    if not _CODE.match(code):
        return None
    otp = pyotp.TOTP(secret)
    now = otp.timecode(time.time() if for_time is None else for_time)
    # Newest step first: a code that happens to match two steps counts as the newer one.
    for step in range(now + VALID_WINDOW, now - VALID_WINDOW - 1, -1):
        if last_step is not None and step <= last_step:
            break
        if hmac.compare_digest(code, otp.generate_otp(step)):
            return step
    return None


def verify(secret: str, code: str, last_step: int | None = None) -> bool:
    """Whether ``code`` is valid for ``secret`` now and newer than ``last_step``
    (see :func:`accepted_step`, which also says the step to store)."""
    return accepted_step(secret, code, last_step) is not None
