"""Reports by language: the share of ratings given in each language, by its own name, over real HTTP and SQLite.

The contract here still takes ``ar`` and ``en`` only; ratings in other languages (and
one with no language) are staged straight in the SQLite file, as a 1.1 tablet's would be.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from collector.reports.languages import language_dir, language_name, language_shares
from collector.store import Store
from tests.support.db_files import execute
from tests.support.two_sites_today import CALENDAR, seed
from tests.support.web_session import sign_in

# seed(): site-a has 14 ratings today (dev-a1 10, dev-a2 4), site-b 3 (dev-b1).
A1_LANGS = ["ar", "ar", "ar", "en", "en", "ur", "ur", "zz", None, "ar"]
A2_LANGS = ["hi", "ar", "ar", "en"]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    path = tmp_path_factory.mktemp("languages") / "taqyeem.db"
    store = Store(path)
    seeded = seed(store)
    by_device: dict[str, list[Any]] = {}
    for rating in seeded["ratings"]:
        by_device.setdefault(rating.device_id, []).append(rating)
    for device, langs in (("dev-a1", A1_LANGS), ("dev-a2", A2_LANGS)):
        for rating, lang in zip(sorted(by_device[device], key=lambda r: r.seq), langs, strict=True):
            execute(path, "UPDATE ratings SET lang = ? WHERE id = ?", [lang, rating.id])
    execute(path, "UPDATE ratings SET lang = 'en' WHERE device_id = 'dev-b1'")
    store.rollups.rebuild()  # staged past the store: the daily sums of languages are counted again
    yield live_api(store), store
    store.close()


def _get(base: str, store: Store, path: str, **params: str) -> httpx.Response:
    token = store.accounts.create_token("lang-admin", "admin", [], "2026-11-28T00:00:00.000Z")
    response = httpx.get(base + path, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response


SITE_A = {
    "ar": {"name": "العربية", "count": 6, "share": round(6 / 14, 4)},
    "en": {"name": "English", "count": 3, "share": round(3 / 14, 4)},
    "ur": {"name": "اردو", "count": 2, "share": round(2 / 14, 4)},
    "hi": {"name": "हिन्दी", "count": 1, "share": round(1 / 14, 4)},
    "zz": {"name": "zz", "count": 1, "share": round(1 / 14, 4)},
    "und": {"name": "not given", "count": 1, "share": round(1 / 14, 4)},
}


def test_the_own_names_of_the_shipped_languages_and_an_unknown_code_as_itself() -> None:
    assert [language_name(c) for c in ("ar", "en", "ur", "hi", "bn", "tl", "id")] == [
        "العربية",
        "English",
        "اردو",
        "हिन्दी",
        "বাংলা",
        "Tagalog",
        "Bahasa Indonesia",
    ]
    assert language_name("fr") == "fr" and language_name("und", "ar") == "غير محددة"
    assert (language_dir("ur"), language_dir("hi")) == ("rtl", "ltr")


def test_shares_count_a_missing_language_as_undetermined_and_put_the_most_used_first() -> None:
    shares = language_shares({"en": 1, None: 1, "ar": 2, "und": 0})
    assert list(shares) == ["ar", "en", "und"]
    assert shares["ar"] == {"name": "العربية", "count": 2, "share": 0.5}
    assert shares["und"]["count"] == 1
    assert language_shares({}) == {}


def test_the_daily_report_gives_each_languages_count_and_share_for_its_site(web: tuple[str, Store]) -> None:
    base, store = web
    report = _get(base, store, "/api/v1/reports/daily", site_id="site-a").json()
    assert report["by_language"] == SITE_A
    assert list(report["by_language"]) == ["ar", "en", "ur", "hi", "zz", "und"]  # most first, then shipped order
    assert sum(v["count"] for v in report["by_language"].values()) == report["totals"]["count"]
    everywhere = _get(base, store, "/api/v1/reports/daily").json()["by_language"]
    assert everywhere["en"]["count"] == 6 and everywhere["ar"]["count"] == 6  # site-b's three in English


def test_the_period_report_has_the_same_shares_for_the_same_day(web: tuple[str, Store]) -> None:
    base, store = web
    day = CALENDAR.today().isoformat()
    report = _get(base, store, "/api/v1/reports/period", site_id="site-a", **{"from": day, "to": day}).json()
    assert report["by_language"] == SITE_A


def test_the_csv_lists_each_language_by_its_own_name_in_either_page_language(web: tuple[str, Store]) -> None:
    base, store = web
    for lang, header, undetermined in (("en", "Language", "not given"), ("ar", "اللغة", "غير محددة")):
        response = _get(base, store, "/api/v1/reports/daily.csv", lang=lang, table="by_language", site_id="site-a")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][2:4] == (["Language code", header] if lang == "en" else ["رمز اللغة", header])
        assert [(r[2], r[3], r[4]) for r in rows[1:]] == [
            ("ar", "العربية", "6"),
            ("en", "English", "3"),
            ("ur", "اردو", "2"),
            ("hi", "हिन्दी", "1"),
            ("zz", "zz", "1"),
            ("und", undetermined, "1"),
        ]


def test_the_reports_page_shows_the_languages_by_their_own_names_in_both_page_languages(
    web: tuple[str, Store],
) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:
        section = client.get("/reports").text.split('id="by-language"><h2>حسب لغة التقييم</h2>')[1].split("</table>")[0]
        assert '<bdi lang="ur">اردو</bdi>' in section and '<bdi lang="hi">हिन्दी</bdi>' in section
        assert '<bdi lang="und">غير محددة</bdi>' in section and '<bdi lang="zz">zz</bdi>' in section
        assert section.index("العربية") < section.index("English") < section.index("اردو")
        client.get("/lang/en")
        english = client.get("/reports").text.split('id="by-language"><h2>By language of rating</h2>')[1]
        assert '<bdi lang="ur">اردو</bdi>' in english.split("</table>")[0]  # its own name on the English page too


def test_a_browser_draws_each_language_by_its_own_name_on_the_arabic_reports_page(web: tuple[str, Store]) -> None:
    from tests.collector.web.test_browser import SCREENSHOTS, playwright_sync, sign_in_page
    from tests.support.chromium import CHROMIUM, LAUNCH_ARGS
    from tests.support.two_sites_today import PASSWORDS

    base, _ = web
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            sign_in_page(page, base, "sup-a", PASSWORDS["sup-a"], "ar")
            page.goto(base + "/reports?site_id=site-a")
            card = page.locator("#by-language")
            names = card.locator("tbody td:first-child").all_inner_texts()
            assert names == ["العربية", "English", "اردو", "हिन्दी", "zz", "غير محددة"]
            assert card.evaluate("el => getComputedStyle(el).direction") == "rtl"
            if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
                card.screenshot(path=str(SCREENSHOTS / "web-reports-languages-ar.png"))
        finally:
            browser.close()
