"""Rendering pages: the Jinja2 environment, the signed-in person, language, CSRF and formatting."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from collector.access import Identity, StoreDep, app_deps, session_identity
from collector.people.employee_names import NameBook
from collector.reports.channels import place_label
from collector.reports.maths import Calendar, name_in
from collector.reviews.rules import ACTIONS, CAUSES, label
from collector.web.i18n import LANGS, count_words, gettext_callables, translate
from shared.contract import DEFAULT_REASONS, ReasonLabel
from shared.reasons import reason_label as label_of_reason

WEB_DIR = Path(__file__).parent
LANG_COOKIE = "taqyeem_lang"
NAV = (
    ("today", "/today", ("admin", "supervisor")),
    ("reviews", "/reviews", ("admin", "supervisor")),
    ("reports", "/reports", ("admin", "supervisor", "viewer")),
    ("employees", "/employees", ("admin", "supervisor", "viewer")),
    ("devices", "/devices", ("admin", "supervisor")),
    ("presence", "/presence", ("admin", "supervisor", "viewer")),
    ("users", "/users", ("admin",)),
    ("me", "/me", ("employee",)),  # an employee's whole menu: the pages they may open
)

templates = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],  # its gettext callables come with each page, in the page's language
)
# {% trans name=x %} passes values by name, as t() does. No null translations as globals: a macro imported without
# the page's context that used _() would show bare keys; without them it fails loudly, and macros take t instead.
templates.newstyle_gettext = True  # type: ignore[attr-defined]


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageForbidden(Exception):
    pass


def any_page_identity(request: Request, store: StoreDep) -> Identity:
    """The signed-in browser user, employees included (only for the employee's own pages); never an API token."""
    identity = session_identity(request, store)
    if identity is None:
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return identity


def page_identity(request: Request, store: StoreDep) -> Identity:
    """The signed-in staff member: an employee is refused here, so by default on every page but their own."""
    identity = any_page_identity(request, store)
    if identity.role == "employee":
        raise PageForbidden()
    return identity


AnyPageIdentity = Annotated[Identity, Depends(any_page_identity)]
PageIdentity = Annotated[Identity, Depends(page_identity)]


def start_page(role: str) -> str:
    """Where a person lands after signing in, or on ``/``."""
    return {"viewer": "/reports", "employee": "/me"}.get(role, "/today")


def allow(identity: Identity, *roles: str) -> None:
    if identity.role not in roles:
        raise PageForbidden()


def page_lang(request: Request, identity: Identity | None = None) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGS:
        return str(chosen)
    return identity.lang if identity is not None and identity.lang in LANGS else "ar"


def safe_next(path: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def calendar_of(request: Request) -> Calendar:
    calendar: Calendar = app_deps(request).calendar
    return calendar


def render(
    request: Request, template: str, identity: Identity | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    lang = page_lang(request, identity)
    calendar = calendar_of(request)

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    def local_time(stamp: str | None, fmt: str = "%H:%M") -> str:
        if not stamp:
            return "—"
        try:
            return calendar.local(stamp).strftime(fmt)
        except ValueError:
            return stamp

    desk_reasons: dict[str, list[ReasonLabel] | None] = {}

    def reason_label(code: str, device_id: str | None = None) -> str:
        """The rating's desk labels where its config is known, else the contract's defaults."""
        if device_id and device_id not in desk_reasons:
            config = app_deps(request).store.devices.config(device_id)
            desk_reasons[device_id] = None if config is None else list(config.reasons)
        return label_of_reason(code, lang, desk_reasons.get(device_id or ""))

    names: NameBook = context.pop("names", None) or NameBook(app_deps(request).store)

    def employee(employee_id: str | None) -> Markup | str:
        """The employee's name in the page's language (their id as its title), or "unknown employee (id)"."""
        if not employee_id:
            return "—"
        return Markup('<bdi title="{}">{}</bdi>').format(employee_id, names.label(employee_id, lang))

    def employee_name(employee_id: str | None) -> str | None:
        """The same as plain text, for inside a translated sentence (the sentence isolates it)."""
        return names.label(employee_id, lang)

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    values = {
        "request": request,
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "t": t,
        "count_words": lambda key, n: count_words(key, n, lang),
        **gettext_callables(lang),
        "identity": identity,
        "csrf": identity.csrf if identity else None,
        "path": request.url.path,
        "nav": [(key, href) for key, href, roles in NAV if identity and identity.role in roles],
        "switch_href": f"/lang/{'en' if lang == 'ar' else 'ar'}?next={quote(here, safe='')}",
        "local_time": local_time,
        "employee_name": employee_name,
        "time_zone": calendar.zone.key,
        "reason_label": reason_label,
        "employee": employee,
        "default_reason_codes": [r.code for r in DEFAULT_REASONS],
        "fmt_mean": fmt_mean,
        "fmt_share": fmt_share,
        "fmt_skew": fmt_skew,
        "place_name": lambda row, key: place_label(name_in(row, lang, key), row.get("channel"), lang),
        "place_label": lambda place, channel: place_label(place, channel or None, lang),
        "cause_label": lambda code: label(CAUSES, code, lang),
        "action_label": lambda code: label(ACTIONS, code, lang),
        "causes": [(code, pair[0 if lang == "ar" else 1]) for code, pair in CAUSES.items()],
        "actions": [(code, pair[0 if lang == "ar" else 1]) for code, pair in ACTIONS.items()],
    }
    values.update(context)
    html = templates.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def fmt_mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def fmt_share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def fmt_skew(seconds: float | None) -> str:
    """A clock skew in seconds: one decimal under 10 s, whole seconds above; never ``-0.0``."""
    if seconds is None:
        return "—"
    shown = round(seconds, 1) if abs(seconds) < 10 else float(round(seconds))
    if shown == 0:
        return "0"
    return f"{shown:+.1f}" if abs(seconds) < 10 else f"{shown:+.0f}"
