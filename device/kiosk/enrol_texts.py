"""The enrolment screen's words: Arabic first, then English, side by side (no Kivy).

Each error kind of device/enrolment.py:EnrolmentError has a line saying what to do.
"""

from __future__ import annotations

TITLE = "هذا الجهاز غير مسجل بعد  ·  This tablet is not enrolled yet"
PROMPT_AR = "أدخل ذاكرة USB التي تحمل حزمة هذا الجهاز، أو اكتب رمز التسجيل"
PROMPT_EN = "Insert the USB stick with its bundle, or type the enrolment code"
COLLECTOR = "عنوان الخادم  ·  Collector"
CHECKING = "جار التحقق من الرمز  ·  Checking the code"
TYPE_ALL = "الرمز 12 حرفا ورقما  ·  The code has 12 letters and digits"
ENROLLED_TITLE = "تم تسجيل هذا الجهاز  ·  This tablet is enrolled"
ENROLLED = "رقم الجهاز  ·  Device id\n{device_id}"
STARTING = "يبدأ الكشك الآن  ·  The kiosk starts now"
ERRORS = {
    "wrong_code": "رمز غير صحيح، تحقق منه  ·  Wrong code: check it",
    "bad_code": TYPE_ALL,
    "used_code": "الرمز مستخدم أو منتهية صلاحيته، اطلب رمزا جديدا  ·  Code used or expired: ask IT for a new one",
    "too_many": "محاولات خاطئة كثيرة، انتظر دقيقة  ·  Too many wrong codes: wait a minute",
    "unreachable": (
        "تعذر الوصول إلى الخادم، تحقق من الشبكة والعنوان\nCollector unreachable: check the network and address"
    ),
    "untrusted": (
        "شهادة الخادم غير موثوقة، تحقق من العنوان\nThe collector's certificate is not trusted: check the address"
    ),
    "enrolled": "هذا الجهاز مسجل من قبل  ·  This tablet is already enrolled",
    "no_write": "تعذر حفظ الإعدادات، راجع الدعم الفني  ·  Cannot save the settings: call IT",
}
FAILED = "تعذر التسجيل  ·  Enrolment failed"


def error_text(kind: str, detail: str) -> str:
    """The line for an EnrolmentError's kind; an unforeseen one shows its detail under a general line."""
    return ERRORS.get(kind) or f"{FAILED}\n{detail}"


def enrolled_text(device_id: str, desk_ar: str | None, desk_en: str | None) -> str:
    lines = [ENROLLED.format(device_id=device_id)]
    if desk_ar and desk_en:
        lines.append(f"{desk_ar}  ·  {desk_en}")
    lines.append(STARTING)
    return "\n".join(lines)


def shown_code(typed: str, length: int = 12) -> str:
    """``7KQ2M9`` -> ``7KQ2-M9__-____``: what has been typed, and what is left."""
    padded = typed.ljust(length, "_")
    return "-".join(padded[i : i + 4] for i in range(0, length, 4))
