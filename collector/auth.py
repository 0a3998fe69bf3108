"""People and access: accounts, argon2 passwords, server-side sessions, CSRF and the login rate limit.

The rules are plain functions; the Store keeps users, sessions (only a hash of
each session id) and failed logins. The web layer (collector/api/routes/session.py)
only translates cookies and forms into calls here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from collector.storage import Store
from shared.clock import format_time
from shared.contract import NAME_PATTERN

ROLES = ("admin", "supervisor", "viewer")
USER_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$"
MIN_PASSWORD_LENGTH = 10
SESSION_COOKIE = "taqyeem_session"
LOGIN_COOKIE = "taqyeem_login"  # double-submit token of the sign-in form (there is no session yet)
SESSION_TTL = timedelta(hours=12)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 20

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AuthError(ValueError):
    """Input that cannot make or change an account; the text says what to do."""


class TooManyAttempts(AuthError):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after_s // 60 + 1} minutes")
        self.retry_after_s = retry_after_s


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise AuthError("the password is too long (at most 1024 characters)")


def check_user(name: str, role: str, sites: list[str]) -> None:
    if not re.fullmatch(USER_NAME_PATTERN, name):
        raise AuthError("a user name is 2-64 letters, digits or . _ @ -, starting with a letter or digit")
    if role not in ROLES:
        raise AuthError(f"the role must be one of {', '.join(ROLES)}")
    for site in sites:
        if not re.fullmatch(NAME_PATTERN, site):
            raise AuthError(f"{site!r} is not a site id (lowercase letters, digits and -)")
    if role != "admin" and not sites:
        raise AuthError(f"a {role} needs at least one --site (admins see every site)")


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


@dataclass(frozen=True)
class NewSession:
    session_id: str  # goes into the cookie; only its hash is stored
    csrf: str
    user: dict[str, Any]


class Accounts:
    """Accounts and sessions over the Store; ``clock`` is replaceable in tests."""

    def __init__(self, store: Store, clock: Any = None) -> None:
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))

    def _now(self) -> str:
        return format_time(self.clock())

    def add_user(self, name: str, role: str, sites: list[str], password: str, lang: str = "ar") -> int:
        check_user(name, role, sites)
        check_password_rules(password)
        if self.store.user(name=name) is not None:
            raise AuthError(f"there is already a user {name!r}; change the password with `taqyeem user passwd {name}`")
        return self.store.add_user(name, hash_password(password), role, sites, lang, self._now())

    def set_password(self, name: str, password: str) -> None:
        check_password_rules(password)
        user = self.store.user(name=name)
        if user is None:
            raise AuthError(f"there is no user {name!r}; add one with `taqyeem user add`")
        self.store.set_user_password(int(user["id"]), hash_password(password), self._now())

    def sign_in(self, name: str, password: str, client: str) -> NewSession | None:
        """A new session, or None for a wrong name or password; TooManyAttempts when rate-limited."""
        now = self.clock()
        by_name, by_client = self.store.login_failures_since(name, client, format_time(now - FAILURE_WINDOW))
        if by_name >= MAX_FAILURES_PER_NAME or by_client >= MAX_FAILURES_PER_CLIENT:
            raise TooManyAttempts(int(FAILURE_WINDOW.total_seconds()))
        user = self.store.user(name=name) if len(name) <= 64 else None
        good = verify_password(user["password_hash"] if user else _DUMMY_HASH, password[:1024])
        if user is None or not good or user["disabled_at"] is not None:
            self.store.note_login_failure(name[:64], client, format_time(now))
            return None
        self.store.clear_login_failures(name)
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.store.create_session(
            session_hash(session_id), int(user["id"]), csrf, format_time(now), format_time(now + SESSION_TTL)
        )
        return NewSession(session_id, csrf, user)

    def session(self, session_id: str) -> dict[str, Any] | None:
        if not session_id or len(session_id) > 128:
            return None
        return self.store.session_user(session_hash(session_id), self._now())

    def sign_out(self, session_id: str) -> None:
        self.store.delete_session(session_hash(session_id))
