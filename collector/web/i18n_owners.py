"""Page texts of reviews' owners, deadlines, escalations and the reviewers' figures (i18n.TEXTS has them)."""

from __future__ import annotations

OWNER_TEXTS: dict[str, tuple[str, str]] = {  # key: (Arabic, English)
    "owner": ("المسؤول", "Owner"),
    "no_owner": ("بلا مسؤول", "No owner"),
    "due": ("الموعد", "Due"),
    "overdue": ("متأخرة", "Overdue"),
    "overdue_reviews": ("مراجعات متأخرة", "Overdue reviews"),
    "mine": ("لي", "Mine"),
    "review_is_yours": ("المراجعة مسندة إليك", "the review is yours"),
    "assign": ("إسناد المراجعة", "Assign the review"),
    "assign_to": ("إلى", "To"),
    "assign_button": ("إسناد", "Assign"),
    "escalations": ("التصعيد", "Escalations"),
    "esc_managers": ("مديرو الموقع", "the site's managers"),
    "esc_director": ("المدير العام", "the director"),
    "ev_assigned": ("أُسندت", "Assigned"),
    "ev_alerted": ("نُبّه", "Alerted"),
    "ev_escalated": ("صُعّدت", "Escalated"),
    "reviewers": ("المراجعون", "Reviewers"),
    "reviewers_intro": (
        "مراجعات كل مسؤول في الفترة: المسندة إليه، والمغلقة في موعدها، ووسيط مدة الإغلاق، والمتأخرة الآن.",
        "Each owner's reviews in the span: owned, closed on time, median time to close, and overdue now.",
    ),
    "owned": ("المسندة", "Owned"),
    "closed_on_time": ("أُغلقت في موعدها", "Closed on time"),
    "median_close_h": ("وسيط مدة الإغلاق (ساعات)", "Median time to close (hours)"),
    "overdue_now": ("متأخرة الآن", "Overdue now"),
    "away": ("غائب عن جدول المراجعة", "Away from the review rota"),
    "away_hint": (
        "الغائب لا تُسند إليه مراجعات جديدة حتى يعود.",
        "While away you are given no new reviews.",
    ),
    "away_on": ("أنا غائب", "I am away"),
    "away_off": ("عدت", "I am back"),
}
