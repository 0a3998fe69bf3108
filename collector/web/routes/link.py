"""The rating link's page (contract 1.1): ``GET /r/{token}`` and one ``POST /r/{token}``, no sign-in.

Phone-first, Arabic first with English one tap away (``?lang=en``), the kiosk's five
faces 1..5 left to right in both languages, the reasons after a negative score, the
site's survey and an optional comment. It works without JavaScript: a plain form POST
answers with the thank-you page; a JSON POST ``{score, reasons, answers, comment, callback_phone}`` with
201. Used or expired: 410; unknown: 404; too many requests from one address: 429.
The rating is stored through collector.ingest.contacts with channel ``link`` and the visit's
``visit_id`` and ``employee_id``; the link's phone number is forgotten as it is used.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError

from collector.access import app_deps
from collector.ingest.classify import SERVICE_ACCOUNT_PREFIX
from collector.ingest.contacts import store_contact
from collector.settings import RetentionSettings
from collector.store import Store
from collector.visits.links import RateLimit, parse_answer, token_hash
from collector.web.render import templates
from shared.clock import format_time, uuid7
from shared.contract import (
    MAX_COMMENT,
    ContractError,
    DeviceConfig,
    Language,
    Rating,
    describe_validation_error,
    is_negative,
)

log = logging.getLogger("taqyeem.collector.link")
CALLBACK_DAYS = RetentionSettings().callback_days  # what the page promises; a site keeping longer must say so
router = APIRouter(include_in_schema=False)
LINK_DEVICE = SERVICE_ACCOUNT_PREFIX + "link"  # the pseudo-device of every link rating (no desk holds it)
FACE_WORDS = {
    "ar": ("غير راض أبدا", "غير راض", "محايد", "راض", "راض جدا"),
    "en": ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
}  # the kiosk's words (device/kiosk/texts.py), faces 1..5 left to right as on the kiosk
FACE_COLOURS = {1: "#d42e2e", 2: "#f57317", 3: "#fabf2e", 4: "#7db342", 5: "#2e8f3d"}
REFUSED = {
    404: ("هذا الرابط غير معروف. تحقق من الرسالة.", "This link is unknown. Check the message you received."),
    410: (
        "انتهت صلاحية هذا الرابط أو استُخدم من قبل. شكرا لك.",
        "This link has expired or has already been used. Thank you.",
    ),
    429: (
        "طلبات كثيرة من هذا الجهاز. حاول بعد دقيقة.",
        "Too many requests from this device. Try again in a minute.",
    ),
}
limit = RateLimit()


def _lang(request: Request, form: dict[str, Any] | None = None) -> Language:
    lang = (form or {}).get("lang") or request.query_params.get("lang")
    return "en" if lang == "en" else "ar"


def _page(template: str, lang: Language, status_code: int, **values: Any) -> HTMLResponse:
    html = templates.get_template(template).render(
        lang=lang,
        dir="rtl" if lang == "ar" else "ltr",
        ar=lang == "ar",
        max_comment=MAX_COMMENT,
        callback_days=CALLBACK_DAYS,
        **values,
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def _refused(request: Request, status_code: int, lang: Language) -> Response:
    text_ar, text_en = REFUSED[status_code]
    if "application/json" in request.headers.get("content-type", ""):
        return JSONResponse({"detail": f"{text_en} / {text_ar}"}, status_code=status_code)
    return _page("link_done.html", lang, status_code, title=(text_ar, text_en), comment=None)


def link_config(store: Store, site_id: str, desk_id: str | None) -> DeviceConfig:
    """The config the page follows: its desk's, else one of the site's desks, else the contract's defaults."""
    serving = [config for _, config in store.devices.serving(site_id)]
    configs = [*store.sites.desk_configs(site_id), *serving]
    desk = next((c for c in configs if c.desk_id == desk_id), None) if desk_id else None
    if desk is not None or configs:
        return desk or configs[0]
    return DeviceConfig(site_id=site_id, desk_id="link", desk_name_ar="تقييم", desk_name_en="Rating")


def _live_link(store: Store, token: str, now: str) -> tuple[int, dict[str, Any] | None]:
    store.visits.purge_phones(now)  # cheap: every used or expired link's number is forgotten
    link = store.visits.link(token_hash(token))
    if link is None:
        return 404, None
    if link["used_at"] is not None or link["expires_at"] <= now:
        return 410, link
    return 200, link


@router.get("/r/{token}")
def link_page(request: Request, token: str) -> Response:
    store: Store = app_deps(request).store
    lang = _lang(request)
    if not limit.allow(request.client.host if request.client else "", time.monotonic()):
        return _refused(request, 429, lang)
    status_code, link = _live_link(store, token, format_time(datetime.now(UTC)))
    if link is None or status_code != 200:
        return _refused(request, status_code, lang)
    return _form(token, lang, link_config(store, link["site_id"], link["desk_id"]), 200)


def _form(token: str, lang: Language, config: DeviceConfig, status_code: int, error: str | None = None) -> HTMLResponse:
    faces = [(score, FACE_WORDS[lang][score - 1], FACE_COLOURS[score]) for score in range(1, 6)]
    negative = {score for score in range(1, 6) if is_negative(score, config)}
    return _page(
        "link.html", lang, status_code, token=token, faces=faces, negative=negative, config=config, error=error
    )


@router.post("/r/{token}")
async def link_answer(request: Request, token: str) -> Response:
    raw = await request.body()
    return await run_in_threadpool(_take_answer, request, token, raw)


def _read(request: Request, raw: bytes) -> tuple[Any, bool]:
    """The posted answer and whether it came as JSON (else a plain form)."""
    if "application/json" in request.headers.get("content-type", ""):
        try:
            return json.loads(raw.decode("utf-8")), True
        except (ValueError, RecursionError):
            return None, True
    try:
        fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=False, max_num_fields=40)
    except ValueError:  # more fields than any page of ours sends
        return None, False
    answers = {key[2:]: values[0] for key, values in fields.items() if key.startswith("q_")}
    wants_call = (fields.get("callback") or [""])[0] == "yes"  # the consent box; a number alone is not consent
    return {
        "score": fields["score"][0] if fields.get("score") else None,
        "reasons": fields.get("reasons", []),
        "answers": answers,
        "comment": (fields.get("comment") or [""])[0].strip() or None,
        "callback_phone": ((fields.get("callback_phone") or [""])[0].strip() or None) if wants_call else None,
        "lang": (fields.get("lang") or ["ar"])[0],
    }, False


def _take_answer(request: Request, token: str, raw: bytes) -> Response:
    store: Store = app_deps(request).store
    data, as_json = _read(request, raw) if len(raw) <= 16_384 else (None, True)
    lang = _lang(request, data if isinstance(data, dict) and not as_json else None)
    if not limit.allow(request.client.host if request.client else "", time.monotonic()):
        return _refused(request, 429, lang)
    now = format_time(datetime.now(UTC))
    status_code, link = _live_link(store, token, now)
    if link is None or status_code != 200:
        return _refused(request, status_code, lang)
    config = link_config(store, link["site_id"], link["desk_id"])
    # Any JSON value may come (a list, a number): parse_answer refuses what is not an object.
    fields = {k: v for k, v in data.items() if k != "lang"} if isinstance(data, dict) else data
    try:
        answer = parse_answer(fields, config, "en" if as_json else lang)
    except ContractError as exc:
        if as_json:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        return _form(token, lang, config, 422, error=str(exc))
    try:
        rating = _rating(link, answer, config, lang, now)
    except ValidationError as exc:  # a rule of the contract's the page's checks did not foresee
        return JSONResponse({"detail": describe_validation_error(exc)}, status_code=422)
    with store.transaction():
        if not store.visits.use_link(link["token_hash"], now, rating.id):
            return _refused(request, 410, lang)
        stored = store_contact(store, rating, link["site_id"], link["desk_id"], rating.to_json(), now)
    _announce(request, stored)
    if as_json:
        return JSONResponse({"id": rating.id, "stored": True}, status_code=201)
    thanks = ("شكرا لتقييمك", "Thank you for your rating")
    return _page("link_done.html", lang, 201, title=thanks, comment=answer["comment"])


def _rating(link: dict[str, Any], answer: dict[str, Any], config: DeviceConfig, lang: Language, now: str) -> Rating:
    """The contract's Rating of a link's answer: channel 'link', the visit's id and employee."""
    return Rating(
        id=str(uuid7()),
        seq=1,
        device_id=LINK_DEVICE,
        employee_id=link["employee_id"],
        score=answer["score"],
        reasons=answer["reasons"] if is_negative(answer["score"], config) else [],
        visit_id=link["visit_id"],
        lang=lang,
        created_at=now,
        channel="link",
        answers=answer["answers"],
        comment=answer["comment"],
        callback_phone=answer["callback_phone"],
    )


def _announce(request: Request, stored: Any) -> None:
    announce = app_deps(request).announce
    if announce is None or not stored.new_rating_ids:
        return
    try:
        announce(stored)
    except Exception:  # stored already: the visitor is thanked all the same
        log.exception("announcing link rating %s failed", stored.new_rating_ids[0])
