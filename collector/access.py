"""Who is asking and what they may see: shared by the JSON API (collector.api) and the pages (collector.web).

Holds the typed FastAPI dependencies both sides use: the app's dependencies record
(``app_deps``, ``DepsDep``: collector/app_deps.py:AppDeps), the store (``StoreDep``),
the caller's ``Identity`` from a browser session or an API token, role checks
(``require``), site and day checks, the CSRF check of session-signed requests
(the API's review routes accept a browser session too, so it lives here), and
the status code each review refusal answers with.

It may import FastAPI, collector.people.auth, collector.store and the rules
(collector.reviews.rules, collector.reviews.workflow); never collector.api or
collector.web, which both import it and never each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from collector.app_deps import AppDeps
from collector.people.auth import SESSION_COOKIE, Accounts, same_token
from collector.reviews.rules import ReviewError
from collector.reviews.workflow import ReviewClosed, ReviewNotFound, ReviewRefused
from collector.store import Store


@dataclass(frozen=True)
class Identity:
    name: str
    role: str  # admin, supervisor, viewer, employee, or integration (an API token only)
    sites: list[str] = field(default_factory=list)
    csrf: str | None = None  # set for a signed-in browser session: its unsafe requests must carry this token
    lang: str = "ar"
    employee_id: str | None = None  # the staff number of an employee account (and of no other)

    def site_scope(self) -> list[str] | None:
        """None means every site: admins, and grants that say so explicitly with "*".

        Anyone else sees only their sites; no sites means none (never all by omission).
        An employee sees no site at all: their own ratings are found by their staff number.
        An integration posts for its sites only, never all of them ("*" counts for nothing).
        """
        if self.role == "employee":
            return []
        if self.role == "integration":
            return [site for site in self.sites if site != "*"]
        if self.role == "admin" or "*" in self.sites:
            return None
        return list(self.sites)


def app_deps(request: Request) -> AppDeps:
    """The record the app was built from (collector/app.py:create_app keeps it on ``app.state.deps``)."""
    deps: AppDeps = request.app.state.deps
    return deps


DepsDep = Annotated[AppDeps, Depends(app_deps)]


def get_store(request: Request) -> Store:
    return app_deps(request).store


StoreDep = Annotated[Store, Depends(get_store)]


def session_identity(request: Request, store: Store) -> Identity | None:
    """The person signed in by the browser's session cookie, or None."""
    session_id = request.cookies.get(SESSION_COOKIE)
    user = Accounts(store).session(session_id) if session_id else None
    if user is None:
        return None
    return Identity(
        user["name"], user["role"], user["sites"], csrf=user["csrf"], lang=user["lang"], employee_id=user["employee_id"]
    )


CSRF_REFUSED = "the form's CSRF token is missing or wrong; reload the page and try again"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Unsafe routes on which a session cookie grants nothing, so it needs no token: the sign-in form
# (its own double-submit token), the rating link (its token is the key) and a tablet's enrolment code.
SESSIONLESS_ROUTES = frozenset({("POST", "/login"), ("POST", "/r/{token}"), ("POST", "/api/v1/enrol")})


def check_csrf(identity: Identity, given: str | None) -> None:
    """A browser session's unsafe request must carry its token; API tokens need none."""
    if identity.csrf is not None and not same_token(identity.csrf, given):
        raise HTTPException(403, detail=CSRF_REFUSED)


async def session_csrf(request: Request) -> None:
    """The app's guard on every route: an unsafe request signed by a session cookie carries the session's
    CSRF token, in the ``X-CSRF-Token`` header or the form's ``csrf`` field, whatever the route does.

    Routes need not remember to call ``check_csrf`` (PUT /api/v1/employees did not). An API token
    (``Authorization``) is never a cookie's, so it needs none; a cookie naming no live session grants
    nothing, and the route answers as to a stranger.
    """
    if request.method not in UNSAFE_METHODS or "authorization" in request.headers:
        return
    session_id = request.cookies.get(SESSION_COOKIE)
    route = request.scope.get("route")
    if not session_id or (request.method, getattr(route, "path", None)) in SESSIONLESS_ROUTES:
        return
    user = await run_in_threadpool(Accounts(app_deps(request).store).session, session_id)
    if user is None:
        return
    given = request.headers.get(CSRF_HEADER) or await _form_token(request)
    if not same_token(user["csrf"], given):
        raise HTTPException(403, detail=CSRF_REFUSED)


async def _form_token(request: Request) -> str | None:
    """The form's ``csrf`` field (the form FastAPI parsed for the route, kept on the request), if any."""
    if not request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return None
    try:
        value = (await request.form()).get("csrf")
    except Exception:  # a form that cannot be parsed carries no token
        return None
    return value if isinstance(value, str) else None


# Only declares the token in /openapi.json (and the Authorize button of /docs); get_identity reads the header itself.
bearer_token = HTTPBearer(auto_error=False, description="an API token from `taqyeem token create`")


BearerDeclared = Annotated[HTTPAuthorizationCredentials | None, Security(bearer_token)]


def get_any_identity(request: Request, store: StoreDep, _declared: BearerDeclared) -> Identity:
    """Whoever is signed in, employees included: only for the routes an employee may reach.

    Those routes are listed in ``EMPLOYEE_ROUTES`` and each limits an employee to their own
    ratings and reviews; every other route takes ``IdentityDep``, which refuses employees.
    An integration token is refused here, so everywhere but ``INTEGRATION_ROUTES``.
    """
    identity = _caller(request, store)
    if identity.role == "integration":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=(
                "an integration token only posts ratings and visits (POST /api/v1/ratings, /api/v1/visits) "
                "for its sites"
            ),
        )
    return identity


def get_integration(request: Request, store: StoreDep, _declared: BearerDeclared) -> Identity:
    """An integration's API token (a phone or queue system): only for the routes of ``INTEGRATION_ROUTES``."""
    identity = _caller(request, store)
    if identity.role != "integration":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="this needs an integration token: `taqyeem token create --role integration --site SITE --name NAME`",
        )
    return identity


def _caller(request: Request, store: Store) -> Identity:
    """The browser session's person, else the API token's holder; 401 for neither."""
    if "authorization" not in request.headers:
        identity = session_identity(request, store)
        if identity is not None:
            return identity
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=(
                "sign in or send an API token: Authorization: Bearer <token> (create one with `taqyeem token create`)"
            ),
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = store.accounts.token_identity(token.strip())
    if found is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail="unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"}
        )
    return Identity(**found)


AnyIdentityDep = Annotated[Identity, Depends(get_any_identity)]
IntegrationDep = Annotated[Identity, Depends(get_integration)]

# The only routes an integration token reaches: each takes ``IntegrationDep`` and keeps to the token's sites.
# Checked against the app's route table by tests/collector/api/test_integration_reach.py.
INTEGRATION_ROUTES = frozenset({("POST", "/api/v1/ratings"), ("POST", "/api/v1/visits")})

# The only routes an employee's session reaches (besides the public ones: sign-in, /healthz, the docs):
# each one shows or changes only the employee's own ratings and reviews. Checked against the app's
# route table by tests/collector/api/test_employee_reach.py, so a new route is closed to them by default.
EMPLOYEE_ROUTES = frozenset(
    {
        ("GET", "/api/v1/ratings"),
        ("GET", "/api/v1/reviews"),
        ("GET", "/api/v1/reviews/{rating_id}"),
        ("POST", "/api/v1/reviews/{rating_id}/response"),
        ("POST", "/api/v1/reviews/{rating_id}/appeal"),
        ("GET", "/me"),
        ("GET", "/me/reviews/{rating_id}"),
        ("POST", "/me/pin"),
        ("POST", "/me/reviews/{rating_id}/response"),
        ("POST", "/me/reviews/{rating_id}/appeal"),
    }
)


def get_identity(identity: AnyIdentityDep) -> Identity:
    """The staff (admin, supervisor, viewer): an employee is refused here, so by default everywhere."""
    if identity.role == "employee":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail="an employee account reaches only its own ratings and reviews"
        )
    return identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


def require(*roles: str) -> Any:
    def check(identity: IdentityDep) -> Identity:
        if identity.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs the role {' or '.join(roles)}")
        return identity

    return Depends(check)


def require_or_own(*roles: str) -> Any:
    """These roles, or an employee (whose route then limits them to their own ratings and reviews)."""

    def check(identity: AnyIdentityDep) -> Identity:
        if identity.role not in roles and identity.role != "employee":
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs the role {' or '.join(roles)}")
        return identity

    return Depends(check)


def own_employee(identity: Identity, employee_id: str | None) -> str | None:
    """The employee filter of a request: an employee's own staff number whatever they ask (403 for another's)."""
    if identity.role != "employee":
        return employee_id
    if employee_id is not None and employee_id != identity.employee_id:
        raise HTTPException(403, detail="an employee reads only their own ratings and reviews")
    return identity.employee_id


def checked_site(identity: Identity, site_id: str | None) -> str | None:
    """The site a request asks for, if the caller may read it (403 otherwise); None for all theirs."""
    scope = identity.site_scope()
    if site_id and scope is not None and site_id not in scope:
        raise HTTPException(403, detail=f"you may read only the sites {', '.join(scope)}")
    return site_id or None


FIRST_DAY, LAST_DAY = Date(1900, 1, 1), Date(2200, 12, 31)


def check_day(day: Date | None) -> None:
    """Days a report can hold: outside these, a local day cannot be turned into UTC bounds."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise HTTPException(422, detail="date must be between 1900-01-01 and 2200-12-31")


def refusal_status(exc: Exception) -> int:
    """The status code of a review refusal (collector.reviews.workflow), for the API and the review page."""
    if isinstance(exc, ReviewNotFound):
        return 404
    if isinstance(exc, ReviewClosed):
        return 409
    if isinstance(exc, ReviewRefused):
        return 403
    if isinstance(exc, ReviewError):
        return 422
    return 400
