"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

# A real hash to verify against when the user does not exist, so that an unknown login name
# costs the same time as a wrong password and cannot be told apart by timing.
_DUMMY_HASH = _hasher.hash("not a real password: timing equaliser")

CHARACTER_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; ``None`` burns the same time and fails."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's and should be redone."""
    return _hasher.check_needs_rehash(stored_hash)


@dataclass(frozen=True)
class PolicyViolation:
    """One way a new password falls short of the policy, with a message to show."""

    code: str
    message: str


def check_policy(password: str, username: str, min_length: int = 10) -> list[PolicyViolation]:
    """Every way ``password`` breaks the policy: length, three of four classes, not the login name."""
    problems = []
    if len(password) < min_length:
        problems.append(PolicyViolation(
            "too_short", str(_l("At least %(n)d characters.", n=min_length))))
    if sum(1 for pattern in CHARACTER_CLASSES if pattern.search(password)) < 3:
        problems.append(PolicyViolation(
            "too_simple",
            str(_l("Use at least three of: lower-case letters, upper-case letters, digits, symbols."))))
    if username and username.lower() in password.lower():
        problems.append(PolicyViolation(
            "contains_username", str(_l("The password must not contain the login name."))))
    return problems
