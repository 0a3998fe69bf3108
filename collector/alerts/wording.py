"""The words of an alert: a negative rating's title and body, and the end-of-day digest, Arabic first."""

from __future__ import annotations

from datetime import date
from typing import Any

from collector.people.employee_names import unknown_label
from collector.reports.maths import Calendar
from shared.contract import ReasonLabel
from shared.reasons import reason_labels

Names = tuple[str | None, str | None]  # an employee's (Arabic, English) names; None: not in the registry


def employee_phrases(employee_id: str | None, names: Names = (None, None)) -> tuple[str, str]:
    """ "الموظف نورة العتيبي (E1042)" and "employee Noura Alotaibi (E1042)"; an id not in the registry
    is "موظف غير معروف (E1004)" / "unknown employee (E1004)"; no employee is "الموظف -" / "employee -".
    """
    if not employee_id:
        return "الموظف -", "employee -"
    name_ar, name_en = names
    if name_ar is None or name_en is None:
        return unknown_label(employee_id, "ar"), unknown_label(employee_id, "en")
    return f"الموظف {name_ar} ({employee_id})", f"employee {name_en} ({employee_id})"


def alert_text(
    row: dict[str, Any], calendar: Calendar, reasons: list[ReasonLabel] | None = None, names: Names = (None, None)
) -> tuple[str, str]:
    """Title and body of a negative-rating alert, Arabic first, then English.

    ``reasons``: the labels of the rating's desk config, where known (else the contract's defaults);
    ``names``: the employee's (Arabic, English) names from the registry (collector/people/employee_names.py), if known.
    """
    local = calendar.local(row["created_at"]).strftime("%H:%M")
    where = f"{row.get('site_id') or '?'} / {row.get('desk_id') or '?'}"
    employee_ar, employee_en = employee_phrases(row.get("employee_id"), names)
    reasons_ar = "، ".join(reason_labels(row["reasons"], "ar", reasons)) or "-"
    reasons_en = ", ".join(reason_labels(row["reasons"], "en", reasons)) or "-"
    title = f"تقييم سلبي {row['score']}/5 · Negative rating {row['score']}/5 · {where}"
    body = (
        f"تقييم سلبي {row['score']} من 5 الساعة {local} في {where}، {employee_ar}. الأسباب: {reasons_ar}.\n"
        f"Negative rating {row['score']} out of 5 at {local} at {where}, {employee_en}. "
        f"Reasons: {reasons_en}. Visit: {row.get('visit_id') or '-'}. Rating id: {row['id']}"
    )
    return title, body


def digest_text(
    site_id: str,
    day: date,
    items: list[dict[str, Any]],
    calendar: Calendar,
    configs: dict[str, Any] | None = None,
    names: dict[str, Names] | None = None,
) -> tuple[str, str]:
    """The end-of-day digest; ``configs``: device id -> its DeviceConfig, for each desk's reason labels;
    ``names``: employee id -> (Arabic, English) names from the registry, where known.
    """
    configs, names = configs or {}, names or {}
    title = f"ملخص نهاية اليوم · End-of-day digest · {site_id} · {day.isoformat()}: {len(items)}"
    lines = [f"تقييمات سلبية لم تُراجع بعد: {len(items)} · Negative ratings not yet reviewed: {len(items)}"]
    for row in items:
        local = calendar.local(row["created_at"]).strftime("%H:%M")
        reasons = ", ".join(reason_labels(row["reasons"], "en", _reasons_of(configs, row)))
        lines.append(
            f"- {local} {row.get('desk_id') or '?'} {_digest_employee(row.get('employee_id'), names)} "
            f"{row['score']}/5 {reasons} ({row['id']})"
        )
    return title, "\n".join(lines)


def _digest_employee(employee_id: str | None, names: dict[str, Names]) -> str:
    if not employee_id:
        return "-"
    name_en = names.get(employee_id, (None, None))[1]
    return f"{name_en} ({employee_id})" if name_en else unknown_label(employee_id, "en")


def _reasons_of(configs: dict[str, Any], row: dict[str, Any]) -> list[ReasonLabel] | None:
    config = configs.get(row.get("device_id") or "")
    return None if config is None else list(config.reasons)
