"""Signing in and out of the web pages, and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from collector.access import StoreDep, app_deps, session_identity
from collector.people.auth import LOGIN_COOKIE, SESSION_COOKIE, SESSION_TTL, Accounts, TooManyAttempts, same_token
from collector.web.i18n import LANGS
from collector.web.render import LANG_COOKIE, page_lang, render, safe_next, start_page

router = APIRouter(include_in_schema=False)


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )


def _login_page(
    request: Request, next_path: str, error: str | None = None, status_code: int = 200, name: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code,
        login_token=token,
        next_path=next_path,
        error=error,
        name=name,
    )
    _cookie(response, request, LOGIN_COOKIE, token, 3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, safe_next(next))


@router.post("/login")
def login(
    request: Request,
    store: StoreDep,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    next_path = safe_next(next)
    if not same_token(request.cookies.get(LOGIN_COOKIE), csrf):
        return _login_page(request, next_path, "bad_form", 403, name)
    client = request.client.host if request.client else "unknown"
    try:
        accounts = Accounts(store, on_attack=app_deps(request).admin_alerts.sign_in_attack)
        session = accounts.sign_in(name.strip(), password, client)
    except TooManyAttempts as exc:
        message = "too_many_pause" if exc.retry_after_s <= 60 else "too_many"
        response = _login_page(request, next_path, message, 429, name)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    if session is None:
        return _login_page(request, next_path, "bad_login", 401, name)
    if next_path == "/":
        next_path = start_page(session.user["role"])
    response = RedirectResponse(next_path, status_code=303)
    _cookie(response, request, SESSION_COOKIE, session.session_id, int(SESSION_TTL.total_seconds()))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, store: StoreDep, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    accounts = Accounts(store)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    user = accounts.session(session_id)
    if user is not None and not same_token(user["csrf"], csrf):
        return Response("the form's CSRF token is missing or wrong; reload the page", status_code=403)
    if user is not None:
        accounts.sign_out(session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    """One click: Arabic (right to left) or English; remembered in a cookie."""
    chosen = code if code in LANGS else page_lang(request)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANG_COOKIE, chosen, max_age=365 * 86400, path="/", samesite="lax", secure=request.url.scheme == "https"
    )
    return response


@router.get("/")
def home(request: Request, store: StoreDep) -> Response:
    identity = session_identity(request, store)
    return RedirectResponse(start_page(identity.role if identity else "supervisor"), status_code=303)
