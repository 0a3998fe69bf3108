"""Signing in to the collector's pages over real HTTP, as a person's browser does (a session cookie, the CSRF token)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.support.two_sites_today import PASSWORDS


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@contextmanager
def sign_in(base_url: str, name: str, password: str | None = None, **client_options: Any) -> Iterator[httpx.Client]:
    """An httpx client holding a signed-in session cookie."""
    with httpx.Client(base_url=base_url, timeout=10, **client_options) as client:
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"name": name, "password": password or PASSWORDS[name], "csrf": csrf_of(page.text), "next": "/"},
        )
        assert response.status_code == 303, response.text
        yield client
