"""Details of the supervisors' pages over real HTTP: names, numbers, icons, and their formatting (pure)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from collector.fleet.sites import SectionEntry, SiteEntry, SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from collector.web.charts import sparkline
from collector.web.i18n import count_words
from collector.web.render import fmt_skew
from shared.clock import format_time
from shared.contract import ReasonLabel, Status
from tests.support.two_sites_today import desk_config, make_rating, seed
from tests.support.web_session import sign_in


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("pages") / "taqyeem.db")
    seed(store)
    # IT's sites file names one of site-a's two sections; the other keeps only its id.
    men = SectionEntry(id="men-hall", name_ar="قاعة الرجال", name_en="Men's hall")
    site = SiteEntry(id="site-a", name_ar="الموقع أ", name_en="Site A", sections=[men])
    apply_sites(store, SitesFile(sites=[site]), "2026-11-28T06:00:00.000Z")
    yield live_api(store), store
    store.close()


def test_clock_skew_is_rounded_and_never_minus_zero() -> None:
    assert [fmt_skew(s) for s in (None, -0.04, 0.0, 0.04, 1.26, -3.0, 75.4, -75.6)] == [
        "—",
        "0",
        "0",
        "0",
        "+1.3",
        "-3.0",
        "+75",
        "-76",
    ]


def test_a_trend_of_one_day_is_a_labelled_dot_not_a_stray_tick() -> None:
    one = str(sparkline([None] * 29 + [4.333]))
    assert "<polyline" not in one and one.count("<circle") == 1 and ">4.33</text>" in one
    cx = float(re.search(r'cx="([\d.]+)"', one).group(1))  # type: ignore[union-attr]
    assert 2.5 <= cx <= 120 - 2.5  # the whole dot inside the box
    two = str(sparkline([None] * 28 + [4.0, 3.0]))
    assert "<polyline" in two and two.count("<circle") == 2
    assert str(sparkline([None] * 30)) == ""


def test_sections_and_desks_are_named_in_the_page_language(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:  # Arabic by default
        page = client.get("/reports").text
        by_section = page.split("<h2>حسب القسم</h2>")[1].split("</table>")[0]
        assert "<bdi>قاعة الرجال</bdi>" in by_section and "<bdi>women-hall</bdi>" in by_section
        assert "<bdi>men-hall</bdi>" not in by_section
        client.get("/lang/en")
        page = client.get("/reports").text
        by_section = page.split("<h2>By section</h2>")[1].split("</table>")[0]
        assert "<bdi>Men&#39;s hall</bdi>" in by_section and "<bdi>women-hall</bdi>" in by_section
        by_desk = page.split("<h2>By desk</h2>")[1].split("</table>")[0]
        assert "<bdi>Desk 01</bdi>" in by_desk and "<bdi>Desk 02</bdi>" in by_desk
        assert "&amp;lang=en&amp;table=by_section" in page and "daily.xlsx?" in page  # both languages, both formats
        report = client.get("/api/v1/reports/daily").json()
        named = {s["section"]: (s["name_ar"], s["name_en"]) for s in report["by_section"]}
        assert named == {"men-hall": ("قاعة الرجال", "Men's hall"), "women-hall": (None, None)}
        for lang, men, desk in (("ar", "قاعة الرجال", "مكتب 01"), ("en", "Men's hall", "Desk 01")):
            i = 0 if lang == "ar" else 1
            text = client.get("/api/v1/reports/daily.csv", params={"lang": lang, "table": "by_section"}).text
            rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
            sections = {r[("رمز القسم", "Section id")[i]]: r[("القسم", "Section")[i]] for r in rows}
            assert sections == {"men-hall": men, "women-hall": ""}
            text = client.get("/api/v1/reports/daily.csv", params={"lang": lang, "table": "by_desk"}).text
            rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
            assert {r[("رمز المكتب", "Desk id")[i]]: r[("المكتب", "Desk")[i]] for r in rows}["desk-01"] == desk


def test_count_words_agree_with_the_count() -> None:
    words = [count_words("ratings_n", n, "en")["word"] for n in (0, 1, 2, 11)]
    assert words == ["ratings", "rating", "ratings", "ratings"]
    assert count_words("negatives_n", 1, "en")["word"] == "negative rating"
    assert count_words("ratings_n", 1, "ar") == {"label": "التقييمات"}  # Arabic: a label and a value


def test_counts_in_running_text_read_right_in_both_languages(web: tuple[str, Store]) -> None:
    base, _ = web
    unit = r'</span> <span class="unit" data-one="{one}" data-other="{other}">{word}</span>'
    with sign_in(base, "sup-b") as client:  # sup-b reads English; site-b has 3 ratings today, one negative
        for path in ("/today", "/reports"):
            page = client.get(path).text
            assert re.search(r">3" + unit.format(one="rating", other="ratings", word="ratings"), page), path
            negative = unit.format(one="negative rating", other="negative ratings", word="negative rating")
            assert re.search(r">1" + negative, page), path
            assert " Ratings<" not in page and " Negatives<" not in page and "1 ratings" not in page
    with sign_in(base, "sup-a") as client:  # sup-a reads Arabic
        for path, count_id in (("/today", "s-count"), ("/reports", "r-count")):
            page = client.get(path).text
            assert re.search(rf'التقييمات: <span id="{count_id}">\d+</span>', page), path
            assert re.search(r"السلبية: <span[^>]*>\d+</span>", page), path
            assert "</span> تقييم" not in page and "</span> سلبي" not in page


def test_employees_count_header_is_translated(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:
        page = client.get("/employees").text
        assert "<th>n</th>" not in page and "<th>العدد</th>" in page


def test_devices_page_shows_a_tiny_clock_skew_as_zero(web: tuple[str, Store]) -> None:
    base, store = web
    store.devices.note_clock_skew("dev-a1", -0.04)
    store.devices.note_clock_skew("dev-a2", -123.4)
    with sign_in(base, "sup-a") as client:
        page = client.get("/devices").text
    assert "-0.0" not in page
    assert '<bdi dir="ltr">0</bdi>' in page and '<bdi dir="ltr">-123</bdi>' in page


def test_the_icon_is_served_locally_and_linked(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:
        icon = client.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.content.startswith(b"<svg")
        page = client.get("/login").text
        assert '<link rel="icon" href="/static/favicon.svg"' in page
        assert client.get("/static/favicon.svg").status_code == 200


def test_a_desks_own_reason_labels_name_its_ratings_on_the_pages(tmp_path: Path, live_api: Callable[..., str]) -> None:
    store = Store(tmp_path / "labels.db")
    seed(store)
    own = [ReasonLabel(code="waiting_time", ar="طول الانتظار", en="Long wait")]
    config = desk_config("site-l", "desk-05").model_copy(update={"reasons": own})
    store.devices.register("dev-l5", config, "2026-11-28T00:00:00.000Z")
    negative = make_rating("dev-l5", 1, 1, datetime.now(UTC)).model_copy(
        update={"reasons": ["waiting_time", "facilities"]}
    )
    store_batch(store, Batch([negative]), format_time(datetime.now(UTC)))
    base = live_api(store)
    with sign_in(base, "admin") as client:
        client.get("/lang/en")
        queue = client.get("/reviews", params={"site_id": "site-l"}).text
        review = client.get(f"/reviews/{negative.id}").text
        for page in (queue, review):  # the desk's label wins; the code it does not name keeps the default
            tags = re.findall(r'<span class="tag">([^<]*)</span>', page)
            assert tags == ["Long wait", "Place and facilities"]
        params = {"site_id": "site-l", "lang": "ar", "table": "negatives"}
        text = client.get("/api/v1/reports/daily.csv", params=params).text
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert next(r for r in rows if r["رقم التقييم"] == negative.id)["الأسباب"] == "طول الانتظار، المكان والمرافق"


def test_employees_are_named_on_every_page_an_unknown_id_says_so(tmp_path: Path, live_api: Callable[..., str]) -> None:
    store = Store(tmp_path / "names.db")
    seed(store)
    store.devices.register("dev-n1", desk_config("site-n", "desk-01"), "2026-11-28T00:00:00.000Z")
    row = {"site_id": "site-n", "section_id": None, "active": True}
    store.employees.save(
        [{**row, "employee_id": "E1042", "name_ar": "نورة العتيبي", "name_en": "Noura"}],
        "t",
        "2026-11-28T00:00:00.000Z",
    )
    now = datetime.now(UTC)
    known, unknown = make_rating("dev-n1", 1, 1, now, "E1042"), make_rating("dev-n1", 2, 2, now, "E1004")
    store_batch(store, Batch([known, unknown]), format_time(now))
    status = Status(state="online", employee_id="E1042", at=format_time(now))
    store.devices.record_status("dev-n1", status, format_time(now), live=True)
    base = live_api(store)
    with sign_in(base, "admin") as client:
        for lang, name, label in (
            ("ar", "نورة العتيبي", "موظف غير معروف (E1004)"),
            ("en", "Noura", "unknown employee (E1004)"),
        ):
            client.get(f"/lang/{lang}")
            for path in ("/today", "/reviews?site_id=site-n", "/reports?site_id=site-n", "/employees?site_id=site-n"):
                page = client.get(path).text
                assert f'<bdi title="E1042">{name}</bdi>' in page, (path, lang)
                assert label in page, (path, lang)
            assert f'<bdi title="E1042">{name}</bdi>' in client.get(f"/reviews/{known.id}").text
            assert label in client.get(f"/reviews/{unknown.id}").text
            assert f'<bdi title="E1042">{name}</bdi>' in client.get("/devices").text  # signed in at dev-n1


def test_the_report_page_splits_the_day_by_channel_in_the_page_language(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:
        report = client.get("/api/v1/reports/daily").json()
        page = client.get("/reports").text
        by_channel = page.split('id="by-channel"><h2>حسب قناة التقييم</h2>')[1].split("</table>")[0]
        rows = re.findall(r"<tr>\s*<td><bdi>([^<]+)</bdi></td>\s*<td class=\"num\"><bdi dir=\"ltr\">(\d+)", by_channel)
        assert rows == [
            ("جهاز المكتب", str(report["by_channel"]["desk"]["count"])),
            ("مكالمة هاتفية", "0"),
            ("رابط التقييم", "0"),
        ]
        assert report["by_channel"]["desk"]["count"] == report["totals"]["count"] > 0
        client.get("/lang/en")
        assert "<bdi>Phone call</bdi>" in client.get("/reports").text.split('id="by-channel">')[1]
