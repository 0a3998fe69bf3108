"""The admins' Users page: list, add, disable or enable, reset a password (collector.people.auth does the work).

A generated password is put in the response that follows the form and nowhere
else: not in a URL, not in the database, not in the log. Every change is logged
in ``user_events`` with who made it and when.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from collector.access import Identity, StoreDep, check_csrf
from collector.alerts.to_employees import masked_url
from collector.people.auth import ROLES, USER_NAME_PATTERN, Accounts, AuthError, generate_password
from collector.store import Store
from collector.web.i18n import TEXTS, translate
from collector.web.render import PageIdentity, allow, page_lang, render

router = APIRouter(include_in_schema=False)

UserName = Annotated[str, Path(pattern=USER_NAME_PATTERN)]
Csrf = Annotated[str, Form(max_length=200)]


def known_sites(store: Store) -> list[str]:
    """Sites from the sites file and from registered desks."""
    from_file = {key[0] for key in store.sites.state()["sites"]}
    return sorted(from_file | set(store.devices.site_ids()))


def _users_page(
    request: Request,
    store: Store,
    identity: Identity,
    *,
    status_code: int = 200,
    error: AuthError | None = None,
    form: dict[str, object] | None = None,
    shown_once: tuple[str, str] | None = None,
) -> Response:
    message = None
    if error is not None:
        key = f"err_{error.code}"
        message = translate(key, page_lang(request, identity)) if key in TEXTS else str(error)
    done = request.query_params.get("done")
    return render(
        request,
        "users.html",
        identity,
        status_code=status_code,
        users=[{**u, "notify_url": masked_url(u["notify_url"])} for u in store.accounts.users()],  # never in full
        events=store.accounts.events(limit=50),
        roles=ROLES,
        all_sites=known_sites(store),
        error=message,
        form=form or {"role": "supervisor", "sites": [], "lang": "ar"},
        shown_once=shown_once,
        done=done if done in ("disabled", "enabled") else None,
    )


@router.get("/users")
def users_page(request: Request, store: StoreDep, identity: PageIdentity) -> Response:
    allow(identity, "admin")
    return _users_page(request, store, identity)


@router.post("/users")
def add_user(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    csrf: Csrf = "",
    name: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    sites: Annotated[list[str] | None, Form()] = None,
    lang: Annotated[Literal["ar", "en"], Form()] = "ar",
    employee_id: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    allow(identity, "admin")
    check_csrf(identity, csrf)
    name = name.strip()
    chosen = [] if role == "admin" else sorted(set(sites or []))  # an admin sees every site
    staff_number = employee_id.strip() or None  # only an employee account may name one: add_user says so
    password = generate_password()
    try:
        Accounts(store).add_user(name, role, chosen, password, lang, actor=identity.name, employee_id=staff_number)
    except AuthError as exc:
        form: dict[str, object] = {
            "name": name,
            "role": role,
            "sites": chosen,
            "lang": lang,
            "employee_id": employee_id.strip(),
        }
        return _users_page(request, store, identity, status_code=400, error=exc, form=form)
    return _users_page(request, store, identity, shown_once=(name, password))


@router.post("/users/{name}/password")
def reset_password(
    request: Request, store: StoreDep, identity: PageIdentity, name: UserName, csrf: Csrf = ""
) -> Response:
    allow(identity, "admin")
    check_csrf(identity, csrf)
    password = generate_password()
    try:
        Accounts(store).set_password(name, password, actor=identity.name)
    except AuthError as exc:
        return _users_page(request, store, identity, status_code=404, error=exc)
    return _users_page(request, store, identity, shown_once=(name, password))


def _set_disabled(request: Request, store: Store, identity: Identity, name: str, disabled: bool) -> Response:
    try:
        Accounts(store).set_disabled(name, disabled, actor=identity.name)
    except AuthError as exc:
        return _users_page(request, store, identity, status_code=404 if exc.code == "no_user" else 409, error=exc)
    return RedirectResponse(f"/users?done={'disabled' if disabled else 'enabled'}", status_code=303)


@router.post("/users/{name}/disable")
def disable_user(
    request: Request, store: StoreDep, identity: PageIdentity, name: UserName, csrf: Csrf = ""
) -> Response:
    allow(identity, "admin")
    check_csrf(identity, csrf)
    return _set_disabled(request, store, identity, name, True)


@router.post("/users/{name}/enable")
def enable_user(request: Request, store: StoreDep, identity: PageIdentity, name: UserName, csrf: Csrf = "") -> Response:
    allow(identity, "admin")
    check_csrf(identity, csrf)
    return _set_disabled(request, store, identity, name, False)
