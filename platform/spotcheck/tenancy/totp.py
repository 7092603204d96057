"""Time-based one-time passwords (RFC 6238), the optional second factor.

The QR code is drawn here as SVG and embedded as a ``data:`` URI: the secret must never travel to
an outside QR service, and the platform runs on intranets without one anyway.
"""

from __future__ import annotations

import base64
import binascii
import re

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


def verify(secret: str, code: str) -> bool:
    """Whether ``code`` (six digits, spaces ignored) is valid for ``secret`` now."""
    code = code.replace(" ", "").strip()
    return bool(_CODE.match(code)) and pyotp.TOTP(secret).verify(code, valid_window=VALID_WINDOW)
