"""Page texts of the fleet view (the Desks and devices page), in Arabic and English (i18n.TEXTS has them)."""

from __future__ import annotations

FLEET_TEXTS: dict[str, tuple[str, str]] = {  # key: (Arabic, English)
    "fleet_intro": (
        "الأجهزة الصامتة أولًا، الأطول صمتًا في الأعلى؛ ثم البقية حسب المركز والمكتب.",
        "Silent tablets first, the longest silent at the top; then the rest by site and desk.",
    ),
    "fleet_limits": (  # Arabic units in words: a Latin unit beside a number is reordered in a right-to-left line
        "صامت: غير متصل، أو لا شيء منه منذ أكثر من {silent_s} ثانية · مساحة قليلة: أقل من {low_disk_mb} ميغابايت"
        " · حرارة عالية: {hot_c:g} درجة مئوية فأكثر · الساعة غير مضبوطة: فرق أكثر من {clock_off_s} ثانية",
        "Silent: not online, or nothing from it for over {silent_s} s · Low disk: under {low_disk_mb} MiB"
        " · Hot: {hot_c:g} °C or more · Clock off: more than {clock_off_s} s",
    ),
    "closed_silent": (
        "المراكز مغلقة الآن: الجهاز المطفأ ليلًا يظهر صامتًا.",
        "Centres are closed now: a tablet switched off for the night shows as silent.",
    ),
    "version": ("الإصدار", "Version"),
    "update": ("التحديث", "Update"),
    "free_disk": ("المساحة الحرة", "Free disk"),
    "temperature": ("الحرارة", "Temperature"),
    "flags": ("تنبيهات", "Flags"),
    "never_seen": ("لم يظهر قط", "Never seen"),
    "flag_silent": ("صامت", "Silent"),
    "flag_low_disk": ("مساحة قليلة", "Low disk"),
    "flag_hot": ("حرارة عالية", "Hot"),
    "flag_clock_off": ("الساعة غير مضبوطة", "Clock off"),
    "flag_gaps": ("فجوات في التسلسل", "Seq gaps"),
    "flag_update_failed": ("رُفض التحديث", "Update refused"),
    "flag_rolled_back": ("أُعيد الإصدار السابق", "Rolled back"),
    "upd_downloading": ("يجري التنزيل", "Downloading"),
    "upd_ready": ("جاهز للتبديل", "Ready"),
    "upd_trying": ("قيد التجربة", "On trial"),
    "upd_done": ("تم", "Done"),
    "upd_failed": ("رُفض", "Refused"),
    "upd_rolled_back": ("أُعيد السابق", "Rolled back"),
    "ago_s": ("منذ {n} ث", "{n} s ago"),
    "ago_min": ("منذ {n} د", "{n} min ago"),
    "ago_h": ("منذ {n} س", "{n} h ago"),
    "ago_d": ("منذ أيام: {n}", "{n} d ago"),  # Arabic as a label and a value (see i18n.COUNT_WORDS)
}
