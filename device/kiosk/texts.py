"""Every word the kiosk shows, Arabic first. Keys are used by the screens and by flow notices."""

from __future__ import annotations

from typing import Literal

Language = Literal["ar", "en"]

# Faces run 1 (very dissatisfied) at the left to 5 (very satisfied) at the right
# in BOTH languages; the row is never mirrored for Arabic (see docs in app.py).
FACE_WORDS: dict[Language, tuple[str, ...]] = {
    "ar": ("غير راض أبدا", "غير راض", "محايد", "راض", "راض جدا"),
    "en": ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
}

TEXTS: dict[str, dict[Language, str]] = {
    "switch_lang": {"ar": "English", "en": "عربي"},
    "attract_title": {"ar": "رأيك يهمنا", "en": "Your opinion matters"},
    "attract_touch": {"ar": "المس الشاشة لتقييم الخدمة", "en": "Touch the screen to rate the service"},
    "attract_invited": {
        "ar": "سيظهر التقييم بعد انتهاء خدمتك",
        "en": "You can rate the service when it is finished",
    },
    "question": {
        "ar": "ما مدى رضاك عن خدمة الموظف الذي خدمك؟",
        "en": "How satisfied are you with the service of the employee who attended you?",
    },
    "followup_title": {"ar": "نأسف لذلك. ما الذي لم يعجبك؟", "en": "We are sorry. What went wrong?"},
    # No brackets in Arabic strings: python-bidi 0.6 does not mirror them here (measured: ")اختياري(").
    "followup_hint": {"ar": "اختر ما ينطبق، وهو اختياري", "en": "Choose any that apply, if you wish"},
    "send": {"ar": "إرسال", "en": "Send"},
    "skip": {"ar": "تخطي", "en": "Skip"},
    "thanks_title": {"ar": "شكرا لك", "en": "Thank you"},
    "thanks_body": {"ar": "تم تسجيل تقييمك", "en": "Your rating has been recorded"},
    "closed_title": {"ar": "المكتب مغلق حاليا", "en": "This desk is closed"},
    "closed_body": {"ar": "يرجى التوجه إلى مكتب آخر", "en": "Please go to another desk"},
    "cooldown": {
        "ar": "شكرا، تم تسجيل تقييمك. يرجى الانتظار قليلا",
        "en": "Thank you, your rating is recorded. Please wait",
    },
    "wait_invite": {"ar": "سيظهر التقييم بعد انتهاء خدمتك", "en": "You can rate the service when it is finished"},
    "closed": {"ar": "المكتب مغلق حاليا", "en": "This desk is closed"},
    "employee": {"ar": "الموظف", "en": "Employee"},
}

# The staff screens are for ministry staff: Arabic and English side by side, not switched.
STAFF: dict[str, str] = {
    "pin_title": "رمز الموظفين  ·  Staff PIN",
    "pin_wrong": "رمز خاطئ  ·  Wrong PIN",
    "pin_locked": "محاولات كثيرة، انتظر دقيقة  ·  Too many tries, wait a minute",
    "pin_unset": (
        "لم يُضبط رمز للموظفين  ·  No staff PIN is set\n"
        "On this tablet, run:\n"
        "sudo taqyeem-device set-pin\n"
        "then restart the kiosk."
    ),
    "staff_title": "إعدادات المكتب  ·  Desk settings",
    "sign_in": "تسجيل دخول  ·  Sign in",
    "sign_out": "تسجيل خروج  ·  Sign out",
    "service_done": "انتهت الخدمة  ·  Service done",
    "close": "إغلاق  ·  Close",
    "back": "رجوع  ·  Back",
    "ok": "موافق  ·  OK",
}


def text(key: str, lang: Language) -> str:
    return TEXTS[key][lang]
