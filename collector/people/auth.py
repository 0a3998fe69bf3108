"""People and access: accounts, argon2 passwords, server-side sessions, CSRF and the login rate limit.

The rules are plain functions; the Store keeps users, sessions (only a hash of
each session id) and failed logins. The web layer (collector/web/routes/session.py)
only translates cookies and forms into calls here.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from collector.alerts.to_employees import masked_url, notify_url_problem
from collector.store import Store
from collector.store.accounts import LoginFailures
from shared.clock import format_time, parse_time
from shared.contract import NAME_PATTERN

ROLES = ("admin", "supervisor", "viewer", "employee")  # an employee sees only their own ratings and reviews
# API tokens: never an employee (a person signs in); an integration (a phone or queue system) is never a person.
TOKEN_ROLES = ("admin", "supervisor", "viewer", "integration")
# An integration's name makes its ratings' device id (collector.ingest.contacts.integration_device):
# short, as a site id.
INTEGRATION_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,50}$"
USER_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$"
MIN_PASSWORD_LENGTH = 10
SESSION_COOKIE = "taqyeem_session"
LOGIN_COOKIE = "taqyeem_login"  # double-submit token of the sign-in form (there is no session yet)
SESSION_TTL = timedelta(hours=12)
# Failed sign-ins are counted per name and client address: a stranger's guesses lock only the
# stranger out. Once a name has many failures from any clients, the addresses that failed for it
# take one attempt per NAME_PAUSE; an address that has not failed for the name is never paused,
# so guesses from many addresses cannot keep the real user out. A name failing from
# ATTACK_ADDRESSES addresses is under attack: logged, noted in user_events and told to the admins.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME_AND_CLIENT = 5
MAX_FAILURES_PER_CLIENT = 20
MAX_FAILURES_PER_NAME = 5  # from any clients; past it, an address that failed for it waits NAME_PAUSE
NAME_PAUSE = timedelta(seconds=30)
ATTACK_ADDRESSES = 5  # distinct addresses failing for one name within FAILURE_WINDOW
ATTACK_EVENT = "sign_in_attack"

log = logging.getLogger("taqyeem.collector.auth")

_hasher = PasswordHasher()
_VERIFY_SLOTS = threading.BoundedSemaphore(2)
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AuthError(ValueError):
    """Input that cannot make or change an account; the text says what to do.

    ``code`` names the rule for pages that say it in the reader's language (``err_<code>``).
    """

    def __init__(self, message: str, code: str = "auth") -> None:
        super().__init__(message)
        self.code = code


class TooManyAttempts(AuthError):
    def __init__(self, retry_after_s: int) -> None:
        wait = f"{retry_after_s} seconds" if retry_after_s < 120 else f"{-(-retry_after_s // 60)} minutes"
        super().__init__(f"too many failed sign-ins; try again in {wait}")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class SignInAttack:
    """A user name failing to sign in from many addresses within FAILURE_WINDOW."""

    name: str
    addresses: int
    failures: int
    at: str

    def text(self) -> tuple[str, str]:
        """Title and body of the admins' alert, Arabic first, then English."""
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        title = f"محاولات دخول من عناوين كثيرة · Sign-in attack · {self.name}"
        body = (
            f"فشل الدخول باسم المستخدم {self.name} {self.failures} مرة من {self.addresses} عنوانًا "
            f"خلال {minutes} دقيقة. العناوين التي أخطأت تُبطَّأ، والمستخدم يدخل من جهازه.\n"
            f"The user name {self.name} failed to sign in {self.failures} times from {self.addresses} addresses "
            f"within {minutes} minutes ({self.at}). The failing addresses are slowed; the real user still signs "
            f"in from their own PC. Check the collector's log for the addresses; "
            f"`taqyeem user unlock {self.name}` lets a locked-out person in at once."
        )
        return title, body


def sign_in_wait(failures: LoginFailures, now: datetime) -> int | None:
    """Seconds before this client may try this name again, or None when it may try now."""
    if failures.by_name_and_client >= MAX_FAILURES_PER_NAME_AND_CLIENT or failures.by_client >= MAX_FAILURES_PER_CLIENT:
        return int(FAILURE_WINDOW.total_seconds())
    if failures.by_name_and_client == 0:  # this address never failed for the name: never held back for others
        return None
    if failures.by_name >= MAX_FAILURES_PER_NAME and failures.last_for_name is not None:
        left = (parse_time(failures.last_for_name) + NAME_PAUSE - now).total_seconds()
        if left > 0:
            return max(1, math.ceil(left))
    return None


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


def check_employee_id(role: str, employee_id: str | None) -> None:
    """An employee account names its staff number (as the contract spells one); no other account does."""
    if role == "employee":
        text = employee_id or ""
        if not text or text != text.strip() or not text.isprintable() or len(text) > 64:
            raise AuthError("an employee account needs --employee, the staff number (1-64 characters)", "employee")
    elif employee_id is not None:
        raise AuthError("only an employee account names an employee (--employee goes with --role employee)", "employee")


def check_user(name: str, role: str, sites: list[str], employee_id: str | None = None) -> None:
    if not re.fullmatch(USER_NAME_PATTERN, name):
        raise AuthError("a user name is 2-64 letters, digits or . _ @ -, starting with a letter or digit", "name")
    if role not in ROLES:
        raise AuthError(f"the role must be one of {', '.join(ROLES)}", "role")
    for site in sites:
        if not re.fullmatch(NAME_PATTERN, site):
            raise AuthError(f"{site!r} is not a site id (lowercase letters, digits and -)", "site")
    check_employee_id(role, employee_id)
    if role not in ("admin", "employee") and not sites:  # an employee's sites only say where they work
        raise AuthError(f"a {role} needs at least one --site (admins see every site)", "no_site")


def check_token(name: str, role: str, sites: list[str]) -> None:
    """An API token's role and sites: a supervisor, viewer or integration names its sites; an integration never '*'."""
    if role not in TOKEN_ROLES:
        raise AuthError(f"a token's role must be one of {', '.join(TOKEN_ROLES)}", "role")
    if role != "admin" and not sites:
        star = "" if role == "integration" else ", or --site '*' for every site"
        raise AuthError(f"a {role} token needs --site SITE (repeatable){star}", "no_site")
    bad = [s for s in sites if s != "*" and not re.fullmatch(NAME_PATTERN, s)]
    if bad:
        raise AuthError(f"{bad[0]!r} is not a site id (lowercase letters, digits and dashes)", "site")
    if role == "integration" and "*" in sites:
        raise AuthError("an integration token names each of its sites; '*' (every site) is not for one", "site")
    if role == "integration" and not re.fullmatch(INTEGRATION_NAME_PATTERN, name):
        raise AuthError(
            "an integration token's --name is 2-51 lowercase letters, digits or dashes (e.g. ivr): "
            "its ratings are stored under the device id taqyeem-api-NAME",
            "name",
        )


NOTIFY_ROLES = ("employee", "supervisor", "admin")  # 1.2: reviews' owners, managers and the director are told too


def check_notify(role: str, url: str) -> None:
    if role not in NOTIFY_ROLES:
        raise AuthError("only an employee, supervisor or admin account has a notification URL", "notify_role")
    problem = notify_url_problem(url)
    if problem is not None:
        raise AuthError(f"the notification URL: {problem}", "notify_url")


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def same_token(expected: str | None, given: str | None) -> bool:
    """In constant time; compared as UTF-8 bytes, since compare_digest refuses a str that is not ASCII."""
    if not expected or not given:
        return False
    return hmac.compare_digest(str(expected).encode("utf-8", "replace"), str(given).encode("utf-8", "replace"))


@dataclass(frozen=True)
class NewSession:
    session_id: str  # goes into the cookie; only its hash is stored
    csrf: str
    user: dict[str, Any]


class Accounts:
    """Accounts and sessions over the Store; ``clock`` is replaceable in tests."""

    def __init__(
        self, store: Store, clock: Any = None, on_attack: Callable[[SignInAttack], None] | None = None
    ) -> None:
        """``on_attack``: told once per FAILURE_WINDOW of each account under attack (the admins' alert)."""
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))
        self.on_attack = on_attack

    def _now(self) -> str:
        return format_time(self.clock())

    def add_user(
        self,
        name: str,
        role: str,
        sites: list[str],
        password: str,
        lang: str = "ar",
        actor: str = "cli",
        *,
        employee_id: str | None = None,
        notify_url: str | None = None,
    ) -> int:
        """``employee_id``: the staff number of an ``employee`` account; ``notify_url``: its apprise URL, if any."""
        check_user(name, role, sites, employee_id)
        check_password_rules(password)
        if notify_url is not None:
            check_notify(role, notify_url)
        if self.store.accounts.user(name=name) is not None:
            raise AuthError(
                f"there is already a user {name!r}; change the password with `taqyeem user passwd {name}`", "taken"
            )
        now = self._now()
        event: dict[str, Any] = {"role": role, "sites": sites}
        if employee_id is not None:
            event["employee_id"] = employee_id
        with self.store.transaction():  # the write lock: two admins cannot both link the same staff number
            linked = self.store.accounts.user_of_employee(employee_id) if employee_id is not None else None
            if linked is not None:
                raise AuthError(f"{employee_id} already has an account: {linked['name']}", "employee_taken")
            user_id = self.store.accounts.add_user(
                name, hash_password(password), role, sites, lang, now, employee_id, notify_url
            )
            self.store.accounts.log_event(name, "added", actor, now, event)
        return user_id

    def set_notify(self, name: str, url: str | None, actor: str = "cli") -> None:
        """An employee's own notification URL (None: none); logged masked, never in full."""
        user = self._existing(name)
        if url is not None:
            check_notify(user["role"], url)
        elif user["role"] not in NOTIFY_ROLES:
            raise AuthError("only an employee, supervisor or admin account has a notification URL", "notify_role")
        now = self._now()
        with self.store.transaction():
            self.store.accounts.set_notify_url(int(user["id"]), url)
            self.store.accounts.log_event(user["name"], "notify", actor, now, {"url": masked_url(url)})

    def _existing(self, name: str) -> dict[str, Any]:
        user = self.store.accounts.user(name=name) if len(name) <= 64 else None
        if user is None:
            raise AuthError(f"there is no user {name!r}; add one with `taqyeem user add`", "no_user")
        return user

    def set_password(self, name: str, password: str, actor: str = "cli") -> None:
        """A new password; it also signs the user out everywhere."""
        check_password_rules(password)
        user = self._existing(name)
        now = self._now()
        with self.store.transaction():
            self.store.accounts.set_password(int(user["id"]), hash_password(password), now)
            self.store.accounts.log_event(user["name"], "password", actor, now, {})

    def set_disabled(self, name: str, disabled: bool, actor: str = "cli") -> bool:
        """Disable (their sessions end at once) or enable an account; False when it already was."""
        user = self._existing(name)
        if (user["disabled_at"] is not None) == disabled:
            return False
        if disabled and user["name"].lower() == actor.lower():
            raise AuthError("you cannot disable your own account; ask another admin", "self")
        now = self._now()
        with self.store.transaction():  # the write lock is held from here: two admins cannot both pass the check
            if disabled and user["role"] == "admin" and self.store.accounts.count_active_admins() <= 1:
                raise AuthError(
                    f"{user['name']} is the last admin who can sign in; add or enable another admin first",
                    "last_admin",
                )
            self.store.accounts.set_disabled(int(user["id"]), now if disabled else None)
            self.store.accounts.log_event(user["name"], "disabled" if disabled else "enabled", actor, now, {})
        return True

    def sign_in(self, name: str, password: str, client: str) -> NewSession | None:
        """A new session, or None for a wrong name or password; TooManyAttempts when rate-limited."""
        now = self.clock()
        # Count this attempt as a failure before checking the password, under the write lock,
        # so parallel requests cannot all slip under the limit; a success clears it again.
        since = format_time(now - FAILURE_WINDOW)
        with self.store.transaction():
            wait = sign_in_wait(self.store.accounts.login_failures_since(name[:64], client, since), now)
            if wait is not None:
                raise TooManyAttempts(wait)
            self.store.accounts.note_login_failure(name[:64], client, format_time(now), since)
        user = self.store.accounts.user(name=name) if len(name) <= 64 else None
        # argon2 takes 64 MiB a check: a few at a time, so a burst of sign-ins cannot exhaust memory.
        if not _VERIFY_SLOTS.acquire(timeout=5):
            raise TooManyAttempts(60)
        try:
            good = verify_password(user["password_hash"] if user else _DUMMY_HASH, password[:1024])
        finally:
            _VERIFY_SLOTS.release()
        if user is None or not good or user["disabled_at"] is not None:
            self._watch_for_attack(name[:64], user, client, now)
            return None
        # Only this client's failures: a stranger's guesses at the name keep counting against the stranger.
        self.store.accounts.clear_login_failures(name[:64], client)
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.store.accounts.create_session(
            session_hash(session_id), int(user["id"]), csrf, format_time(now), format_time(now + SESSION_TTL)
        )
        return NewSession(session_id, csrf, user)

    def _watch_for_attack(self, name: str, user: dict[str, Any] | None, client: str, now: datetime) -> None:
        """After a failure: a name failing from ATTACK_ADDRESSES addresses is logged; an account's
        attack is also noted in user_events and told to ``on_attack``, once per FAILURE_WINDOW."""
        since = format_time(now - FAILURE_WINDOW)
        with self.store.transaction():  # the write lock: two parallel failures report the attack once
            failures = self.store.accounts.login_failures_since(name, client, since)
            if failures.clients_for_name < ATTACK_ADDRESSES:
                return
            who = user["name"] if user is not None else name
            attack = SignInAttack(who, failures.clients_for_name, failures.by_name, format_time(now))
            if user is None:  # no such account: logged as the count is reached, nobody to alert for
                if failures.clients_for_name == ATTACK_ADDRESSES and failures.by_name_and_client == 1:
                    log.warning("sign-in guesses at the unknown name %r from %d addresses", name, attack.addresses)
                return
            if self.store.accounts.has_event_since(user["name"], ATTACK_EVENT, since):
                return
            data = {"addresses": attack.addresses, "failures": attack.failures}
            self.store.accounts.log_event(user["name"], ATTACK_EVENT, "collector", attack.at, data)
            clients = self.store.accounts.failing_clients(name, since)
        log.warning(
            "sign-in attack on %r: %d failures from %d addresses within %d minutes (%s); they are slowed",
            user["name"],
            attack.failures,
            attack.addresses,
            FAILURE_WINDOW.total_seconds() // 60,
            ", ".join(clients),
        )
        if self.on_attack is not None:
            try:
                self.on_attack(attack)
            except Exception:  # the alert must not turn a refused sign-in into a 500
                log.exception("telling the admins of the sign-in attack on %r failed", user["name"])

    def unlock(self, name: str, actor: str = "cli") -> int:
        """Forget the name's failed sign-ins from every client; returns how many, logged as ``unlocked``."""
        user = self._existing(name)
        now = self._now()
        with self.store.transaction():
            cleared = self.store.accounts.clear_login_failures(user["name"])
            self.store.accounts.log_event(user["name"], "unlocked", actor, now, {"failures": cleared})
        return cleared

    def session(self, session_id: str) -> dict[str, Any] | None:
        if not session_id or len(session_id) > 128:
            return None
        return self.store.accounts.session_user(session_hash(session_id), self._now())

    def sign_out(self, session_id: str) -> None:
        self.store.accounts.delete_session(session_hash(session_id))
