"""The answer to a request refused before any route runs (a body too large, a database gone).

An API client (and any path under ``/api/``) gets JSON ``{"detail": "<Arabic> / <English>"}``
as every API error; a browser submitting one of the pages' forms gets a small page saying
the same, Arabic first and right to left, then English, with a way back. No template and no
database: the database may be the very thing that is gone.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi.responses import HTMLResponse, JSONResponse, Response

PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title_ar} · {title_en}</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main><section class="card narrow"><h1>{title_ar}<br><span dir="ltr" lang="en">{title_en}</span></h1>
<p class="error">{ar}</p>
<p class="error" dir="ltr" lang="en">{en}</p><p><a href="/">الصفحة الرئيسية · Home</a></p></section></main>
</body></html>
"""
TITLES = {413: ("الطلب كبير جدًا", "Too large"), 503: ("لم يُحفظ شيء", "Nothing was saved")}


def wants_page(scope: dict[str, Any]) -> bool:
    """A browser's form (it accepts HTML) outside the API."""
    accept = next((value for name, value in scope.get("headers", []) if name == b"accept"), b"").lower()
    return not scope["path"].startswith("/api/") and b"text/html" in accept


def refusal(scope: dict[str, Any], status_code: int, ar: str, en: str, headers: dict[str, str]) -> Response:
    if wants_page(scope):
        title_ar, title_en = TITLES.get(status_code, (str(status_code), str(status_code)))
        page = PAGE.format(title_ar=escape(title_ar), title_en=escape(title_en), ar=escape(ar), en=escape(en))
        return HTMLResponse(page, status_code=status_code, headers=headers)
    return JSONResponse({"detail": f"{ar} / {en}"}, status_code=status_code, headers=headers)
