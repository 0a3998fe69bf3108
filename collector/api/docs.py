"""/docs: Swagger UI served from the collector itself, for intranets that reach no CDN.

FastAPI's own /docs page loads Swagger UI's script and style from a CDN and
starts it with an inline script. Here the files come from the fastapi-offline
package (Swagger UI 5, which reads OpenAPI 3.1), the start-up script is a file
too, so the page lives under the same strict Content-Security-Policy as the
supervisors' pages (``script-src 'self'``, no inline code). ReDoc is not
served: its bundle loads web fonts from a CDN and injects inline styles.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
ASSETS_URL = "/docs-assets"

# validatorUrl null: Swagger UI would otherwise ask validator.swagger.io about the document.
START_SWAGGER_UI = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
"""


def swagger_ui_files() -> Path:
    """The folder of swagger-ui-bundle.js and swagger-ui.css that fastapi-offline ships."""
    return Path(str(files("fastapi_offline") / "static"))


def docs_page(title: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)} - API reference</title>
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="{DOCS_URL}/start.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve /docs and its assets; the app must be made with ``docs_url=None, redoc_url=None``."""
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_files()), name="docs-assets")
    page = docs_page(app.title)

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(f"{DOCS_URL}/start.js", include_in_schema=False)
    def swagger_ui_start() -> Response:
        return Response(START_SWAGGER_UI, media_type="text/javascript")
