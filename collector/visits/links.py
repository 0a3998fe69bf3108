"""Visits and single-use rating links (contract 1.1): the rules as plain functions, and the link's making.

``POST /api/v1/visits`` records a served visit or call (``parse_visit`` checks its body);
a call, or a visit with a phone number, gets a rating link (``make_link``, the one
function here that writes: it stores the link): a random token whose SHA-256 alone is
stored (``token_hash``) and a URL under the collector's ``public_url`` (``link_url``).
The SMS that carries it is collector/visits/sms.py. The page ``/r/{token}`` takes one
rating (``parse_answer``), stored through collector.ingest.contacts with channel ``link``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from collector.guards.address_limits import AddressWindow
from collector.settings import CollectorSettings
from collector.store import Store
from shared.clock import format_time
from shared.contract import MAX_COMMENT, MAX_REASONS, NAME_PATTERN, ContractError, DeviceConfig, is_negative
from shared.phones import saudi_mobile

PHONE_PATTERN = r"^\+?[0-9]{7,15}$"
VISIT_KEYS = {"visit_id", "site_id", "desk_id", "employee_id", "channel", "phone"}
DEFAULT_LINK_HOURS = 48


def new_token() -> str:
    """A link's token: 32 random bytes, URL-safe (never stored; only its hash is)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _text(data: dict[str, Any], key: str, pattern: str | None, rule: str, problems: list[str]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > 64 or (pattern and not re.fullmatch(pattern, value)):
        problems.append(f"{key}: {rule}")
        return None
    return value


def parse_visit(data: Any) -> dict[str, Any]:
    """The visit of a posted body, or ContractError naming every field that is wrong (pure)."""
    if not isinstance(data, dict):
        raise ContractError('the body must be a JSON object: {"visit_id", "site_id", "channel", ...}')
    allowed = ", ".join(sorted(VISIT_KEYS))
    problems = [f"{key}: unknown field; allowed: {allowed}" for key in data if key not in VISIT_KEYS]
    visit_id = _text(data, "visit_id", r"^[^\x00-\x1f]+$", "1 to 64 characters, no control characters", problems)
    if "visit_id" not in data:
        problems.append("visit_id: required: the queue ticket or call reference (1 to 64 characters)")
    site_id = _text(data, "site_id", NAME_PATTERN, "a site id (lowercase letters, digits and -)", problems)
    if "site_id" not in data:
        problems.append("site_id: required: the site the visit or call was served at")
    desk_id = _text(data, "desk_id", NAME_PATTERN, "a desk id (lowercase letters, digits and -) or left out", problems)
    employee_id = _text(data, "employee_id", r"^[^\x00-\x1f]+$", "1 to 64 characters or left out", problems)
    channel = data.get("channel", "desk")
    if channel not in ("desk", "call"):
        problems.append("channel: must be 'desk' (a visit at a desk) or 'call' (a phone call)")
    phone = data.get("phone")
    if phone is not None and not (isinstance(phone, str) and re.fullmatch(PHONE_PATTERN, phone.replace(" ", ""))):
        problems.append("phone: an international number of 7 to 15 digits, e.g. +966500000000, or left out")
    if problems:
        raise ContractError("; ".join(problems))
    return {
        "visit_id": visit_id,
        "site_id": site_id,
        "desk_id": desk_id,
        "employee_id": employee_id,
        "channel": channel,
        "phone": phone.replace(" ", "") if isinstance(phone, str) else None,
    }


def needs_link(visit: dict[str, Any]) -> bool:
    """A call, or a visit with a phone number, gets a rating link."""
    return visit["channel"] == "call" or visit["phone"] is not None


def link_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/r/{token}"


def expiry(created: datetime, hours: int = DEFAULT_LINK_HOURS) -> datetime:
    return created + timedelta(hours=hours)


def make_link(store: Store, visit: dict[str, Any], now: datetime, settings: CollectorSettings) -> str:
    """A single-use rating link of a recorded visit: only the token's hash is stored; its URL.

    ``settings`` must have a ``public_url`` (the route answers without a link when it has none).
    """
    token = new_token()
    store.visits.add_link(
        {
            "token_hash": token_hash(token),
            "site_id": visit["site_id"],
            "visit_id": visit["visit_id"],
            "desk_id": visit["desk_id"],
            "employee_id": visit["employee_id"],
            "phone": visit["phone"],
            "created_at": format_time(now),
            "expires_at": format_time(expiry(now, settings.link_hours)),
        }
    )
    return link_url(str(settings.public_url), token)


def parse_answer(data: Any, config: DeviceConfig, lang: str = "en") -> dict[str, Any]:
    """``{score, reasons, answers, comment, callback_phone}`` from the link page, checked against the site's config
    (pure); ``lang``: the page's, for the callback's refusals a visitor reads.
    """
    if not isinstance(data, dict):
        raise ContractError(
            'the body must be a JSON object: {"score", "reasons", "answers", "comment", "callback_phone"}'
        )
    problems = []
    score = _whole_number(data.get("score"))
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        problems.append("score: choose one of the five faces (1 to 5)")
    known = {reason.code for reason in config.reasons}
    reasons = data.get("reasons") or []
    if (
        not isinstance(reasons, list)
        or len(reasons) > MAX_REASONS
        or not all(isinstance(reason, str) and reason in known for reason in reasons)
    ):
        problems.append(f"reasons: at most {MAX_REASONS} of {', '.join(sorted(known))}")
    answers = data.get("answers") or {}
    questions = {q.id: q for q in config.survey.questions}
    if not isinstance(answers, dict):
        problems.append("answers: an object from question id to the chosen option")
        answers = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            problems.append(f"answers: {key} is not a question of this survey")
        elif question.kind == "scale":
            answers[key] = value = _whole_number(value)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                problems.append(f"answers: {key} takes 1 to 5")
        elif not isinstance(value, str) or value not in {option.code for option in question.options}:
            problems.append(f"answers: {key} has no option {value!r}")
    comment = data.get("comment") or None
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        problems.append(f"comment: at most {MAX_COMMENT} characters")
    typed = data.get("callback_phone") or None
    phone = saudi_mobile(typed) if isinstance(typed, str) else None
    if typed is not None and phone is None:
        problems.append(
            "رقم الجوال: رقم جوال سعودي يبدأ بـ 05 ثم 8 أرقام، أو اتركه فارغا"
            if lang == "ar"
            else "callback_phone: a Saudi mobile number, 05 and 8 digits (e.g. 0512345678), or left empty"
        )
    elif phone is not None and isinstance(score, int) and not is_negative(score, config):
        problems.append(
            "نعاود الاتصال فقط بشأن تقييم لم يرضك؛ اترك رقم الجوال فارغا"
            if lang == "ar"
            else "callback_phone: we call back only about a rating that went wrong; leave the number out"
        )
    if problems:
        raise ContractError("; ".join(problems))
    return {
        "score": score,
        "reasons": list(dict.fromkeys(reasons)),
        "answers": answers,
        "comment": comment,
        "callback_phone": phone,
    }


def _whole_number(value: Any) -> Any:
    """A form's "3" as 3 (ASCII digits only: "²" and "٣" are digits to str.isdigit, not to int); else as given."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 4:
        return int(value)
    return value


class RateLimit(AddressWindow):
    """At most ``hits`` requests per ``window_s`` seconds from one client address (in memory, per process)."""

    def __init__(self, hits: int = 30, window_s: float = 60.0) -> None:
        super().__init__(hits, window_s)

    def allow(self, address: str, now: float) -> bool:
        """Count this request unless the address has had its ``hits`` already (refused ones are not counted)."""
        if self.full(address, now):
            return False
        self.add(address, now)
        return True
