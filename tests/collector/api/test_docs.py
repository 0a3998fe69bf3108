"""/docs (collector/api/docs.py): Swagger UI from the collector's own files, under the pages' strict CSP."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from collector.store import Store
from tests.support.chromium import CHROMIUM


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[str]:
    store = Store(tmp_path_factory.mktemp("docs") / "taqyeem.db")
    yield live_api(store)
    store.close()


def test_docs_reference_only_this_host_and_every_asset_loads(base: str) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(references) == 4, references  # the style, the icon, Swagger UI and its start-up script
        for reference in references:
            assert not urlsplit(reference).netloc, f"{reference} is on another host"
            asset = client.get(reference)
            assert asset.status_code == 200, reference
            assert len(asset.content) > 100, reference
        assert "<script>" not in page.text  # no inline code: the CSP forbids it
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
        assert client.get("/redoc").status_code == 404  # ReDoc's bundle needs a CDN's fonts: not served


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")
def test_swagger_ui_renders_the_api_in_chromium_without_leaving_the_host(base: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    host = urlsplit(base).netloc
    requested: list[str] = []
    complaints: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.on("console", lambda message: complaints.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: complaints.append(str(error)))
            page.goto(base + "/docs")
            page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
            assert "Taqyeem collector" in page.locator(".swagger-ui .info .title").inner_text()
            page.wait_for_selector('[data-path="/api/v1/ratings"]', timeout=10_000)
            page.screenshot(path=str(tmp_path / "docs.png"))
        finally:
            browser.close()
    strangers = [url for url in requested if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host]
    assert strangers == []
    assert complaints == []  # a CSP violation shows here as a console error
