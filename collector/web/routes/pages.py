"""The supervisors' pages: today with its live feed (server-sent events), reports, employees, devices."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from datetime import date as Date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from collector.access import Identity, StoreDep, app_deps, check_day, checked_site
from collector.fleet.overview import LIMITS, age, disk_text, fleet_rows, temperature_text
from collector.fleet.releases import desired_versions
from collector.people.auth import SESSION_COOKIE, Accounts
from collector.people.employee_names import NameBook, name_employee_table, name_report
from collector.reports.cells import SCORES, summarize_counts
from collector.reports.daily import build_daily, employees, month_means, rollups_fit
from collector.reports.daily_exports import TABLES, TITLES
from collector.reports.maths import MIN_N_TO_RANK, hijri, summarize
from collector.reports.reviewers import reviewer_figures
from collector.store import Store
from collector.web.charts import count_bars, line_chart, score_bars, sparkline
from collector.web.i18n import translate
from collector.web.places import SiteQuery, desk_names, visible_sites
from collector.web.query_values import DayQuery
from collector.web.render import PageIdentity, allow, calendar_of, page_lang, render
from shared.clock import format_time
from shared.contract import ReasonLabel
from shared.reasons import reason_labels

router = APIRouter(include_in_schema=False)

LIVE_MAX_S = 300  # a live stream ends after this; the browser's EventSource reconnects on its own
SESSION_CHECK_S = 5  # an idle live stream checks this often that its session still exists
LATEST = 25  # the Today page's latest ratings


def today_summary(store: Store, request: Request, identity: Identity) -> dict[str, Any]:
    calendar = calendar_of(request)
    scope = identity.site_scope()
    today = calendar.today().isoformat()
    since, until = calendar.day_bounds(calendar.today())
    if rollups_fit(store, calendar):  # the day's sums kept beside its ratings, not each of its ratings read
        counts = [0] * 6
        for cell in store.rollups.cells((today, today), ("site_id",), sites=scope):
            counts = [n + cell[column] for n, column in zip(counts, (*SCORES, "negatives"), strict=True)]
        summary = summarize_counts(counts, 0)
    else:
        summary = summarize(store.ratings.window(since, until, sites=scope))
    devices = [d for d in store.devices.all(sites=scope) if d["assigned"] and not d["revoked_at"]]
    summary["open_reviews"] = store.reviews.counts(since, until, sites=scope)["open_now"]
    summary["overdue_reviews"] = store.review_owners.overdue_count(format_time(datetime.now(UTC)), sites=scope)
    summary["desks_offline"] = sum(1 for d in devices if d["state"] != "online")
    summary["desks"] = len(devices)
    summary["latest"] = store.ratings.latest(since, until, scope, LATEST)
    return summary


# --- Today -------------------------------------------------------------------------------------


@router.get("/today")
def today_page(request: Request, store: StoreDep, identity: PageIdentity) -> Response:
    if identity.role == "viewer":
        return RedirectResponse("/reports", status_code=303)
    summary = today_summary(store, request, identity)
    day = calendar_of(request).today()
    lang = page_lang(request, identity)
    return render(
        request,
        "today.html",
        identity,
        summary=summary,
        day=day,
        hijri_day=hijri(day, lang),
        desks=desk_names(store, identity, lang),
        names=NameBook(store).load(r["employee_id"] for r in summary["latest"]),
    )


@router.get("/events")
async def live_events(request: Request, store: StoreDep, identity: PageIdentity) -> Response:
    """Server-sent events: each stored rating of the user's sites, and updated counters."""
    allow(identity, "admin", "supervisor")
    live = app_deps(request).live_feed
    sub = live.subscribe(identity.site_scope())

    session_id = request.cookies.get(SESSION_COOKIE, "")
    lang = page_lang(request, identity)
    desk_reasons: dict[str, list[ReasonLabel] | None] = {}
    names = NameBook(store)  # this stream's: each employee's name is read once

    async def signed_in() -> bool:
        return await asyncio.to_thread(Accounts(store).session, session_id) is not None

    async def with_reason_names(rating: dict[str, Any]) -> dict[str, Any]:
        """The rating as sent to the page, its reasons named by its desk's labels where known."""
        device_id = rating.get("device_id") or ""
        if rating["reasons"] and device_id not in desk_reasons:
            config = await asyncio.to_thread(store.devices.config, device_id)
            desk_reasons[device_id] = None if config is None else list(config.reasons)
        employee_id = rating.get("employee_id")
        label = await asyncio.to_thread(names.label, employee_id, lang) if employee_id else None
        reason_names = reason_labels(rating["reasons"], lang, desk_reasons.get(device_id))
        return {**rating, "reason_names": reason_names, "employee_label": label}

    async def stream() -> AsyncIterator[str]:
        started = last_summary = last_check = time.monotonic()
        try:
            yield "retry: 2000\n\n"
            while time.monotonic() - started < LIVE_MAX_S:
                try:
                    event = await asyncio.wait_for(sub.queue.get(), timeout=SESSION_CHECK_S)
                except TimeoutError:
                    if await request.is_disconnected() or not await signed_in():
                        break
                    last_check = time.monotonic()
                    yield ": keep-alive\n\n"
                    continue
                if time.monotonic() - last_check > 1:  # a disabled or signed-out user gets nothing more
                    if not await signed_in():
                        break
                    last_check = time.monotonic()
                if event["type"] == "trend":  # a trend alert (collector/alerts/trends.py): the banner only
                    yield f"event: trend\ndata: {json.dumps(event['trend'], ensure_ascii=False)}\n\n"
                    continue
                rating = await with_reason_names(event["rating"])
                yield f"event: {event['type']}\ndata: {json.dumps(rating, ensure_ascii=False)}\n\n"
                if sub.queue.empty() or time.monotonic() - last_summary > 1:
                    last_summary = time.monotonic()
                    summary = await asyncio.to_thread(today_summary, store, request, identity)
                    summary.pop("latest")
                    yield f"event: summary\ndata: {json.dumps(summary)}\n\n"
        finally:
            live.unsubscribe(sub)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


# --- Reports -----------------------------------------------------------------------------------


@router.get("/reports")
def reports_page(
    request: Request, store: StoreDep, identity: PageIdentity, date: DayQuery = None, site_id: SiteQuery = None
) -> Response:
    site_id = checked_site(identity, site_id)
    check_day(date)
    calendar = calendar_of(request)
    report = name_report(store, build_daily(store, calendar, identity.site_scope(), date, site_id), labels=True)
    day = Date.fromisoformat(report["date"])
    lang = page_lang(request, identity)
    month = month_means(store, calendar, identity.site_scope(), day, site_id)
    means = [(d.strftime("%d/%m"), m) for d, m, _ in month]
    per_hour = {h["hour"]: h["count"] for h in report["by_hour"]}
    first, last = min([calendar.opens.hour, *per_hour]), max([calendar.closes.hour, *per_hour])
    hours = [(f"{h:02d}", per_hour.get(h, 0)) for h in range(first, last + 1)]  # the whole working day
    charts = {
        "distribution": score_bars(report["distribution"], translate("distribution", lang)),
        "means": line_chart(means, translate("mean_30", lang)),
        "hours": count_bars(hours, translate("by_hour", lang)) if per_hour else None,
    }
    query = f"date={report['date']}" + (f"&site_id={site_id}" if site_id else "")
    return render(
        request,
        "reports.html",
        identity,
        report=report,
        charts=charts,
        site_id=site_id,
        sites=visible_sites(store, identity),
        day=day,
        hijri_day=report["hijri"][lang],
        downloads=report_downloads(query, lang),
        desks=desk_names(store, identity, lang),
        names=NameBook(store).load(r["employee_id"] for r in report["unreviewed_negatives"]),
    )


def report_downloads(query: str, lang: str) -> list[dict[str, Any]]:
    """The report's files in both languages, the page's first: the workbook, and one CSV per table."""
    return [
        {
            "lang": chosen,
            "xlsx": f"/api/v1/reports/daily.xlsx?{query}&lang={chosen}",
            "csv": [
                (TITLES[table][chosen == "en"], f"/api/v1/reports/daily.csv?{query}&lang={chosen}&table={table}")
                for table in TABLES
            ],
        }
        for chosen in sorted(("ar", "en"), key=lambda one: one != lang)
    ]


# --- Employees ---------------------------------------------------------------------------------


@router.get("/employees")
def employees_page(request: Request, store: StoreDep, identity: PageIdentity, site_id: SiteQuery = None) -> Response:
    site_id = checked_site(identity, site_id)
    calendar = calendar_of(request)
    table = name_employee_table(store, employees(store, calendar, identity.site_scope(), calendar.today(), site_id))
    for entry in table["ranked"] + table["too_few"]:
        entry["spark"] = sparkline(entry["trend"])
    # 1.2: the reviewers held to account too, over the same 30 days as the employees' figures
    today = calendar.today()
    since, until = calendar.day_bounds(today - timedelta(days=29))[0], calendar.day_bounds(today)[1]
    reviewers = reviewer_figures(
        store, since, until, format_time(datetime.now(UTC)), sites=identity.site_scope(), site_id=site_id
    )
    return render(
        request,
        "employees.html",
        identity,
        table=table,
        site_id=site_id,
        min_n=MIN_N_TO_RANK,
        reviewers=reviewers,
        sites=visible_sites(store, identity),
        names=NameBook(store).load(e["employee_id"] for rows in table.values() for e in rows),
    )


# --- Desks and devices -------------------------------------------------------------------------


@router.get("/devices")
def devices_page(request: Request, store: StoreDep, identity: PageIdentity) -> Response:
    """The fleet view for IT: the silent tablets first, then the rest, each with its flags (fleet/overview.py)."""
    allow(identity, "admin", "supervisor")
    now = datetime.now(UTC)
    devices = fleet_rows(store.devices.all(sites=identity.site_scope()), now)
    lang = page_lang(request, identity)
    return render(
        request,
        "devices.html",
        identity,
        desired=desired_versions(store, devices),  # each tablet's release target: collector/fleet/releases.py
        devices=devices,
        is_open=calendar_of(request).is_open(now),
        desks=desk_names(store, identity, lang),
        names=NameBook(store).load(d["employee_id"] for d in devices),
        age=age,
        disk_text=disk_text,
        temperature_text=temperature_text,
        limits=LIMITS,
    )
