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
    # The periodic survey (every n-th visitor): one question at a time, always skippable.
    "survey_title": {"ar": "سؤال سريع يساعدنا على التحسين", "en": "A quick question to help us improve"},
    "survey_progress": {"ar": "السؤال {n} من {total}", "en": "Question {n} of {total}"},
    "scale_hint": {"ar": "1 هو الأقل، 5 هو الأعلى", "en": "1 is the lowest, 5 the highest"},
    "thanks_title": {"ar": "شكرا لك", "en": "Thank you"},
    "thanks_body": {"ar": "تم تسجيل تقييمك", "en": "Your rating has been recorded"},
    "closed_title": {"ar": "المكتب مغلق حاليا", "en": "This desk is closed"},
    "closed_body": {"ar": "يرجى التوجه إلى مكتب آخر", "en": "Please go to another desk"},
    # Shown to whoever touches the faces during the cool-down: not a thank-you, they have not rated.
    "cooldown": {"ar": "لحظة من فضلك", "en": "One moment, please"},
    "wait_invite": {"ar": "سيظهر التقييم بعد انتهاء خدمتك", "en": "You can rate the service when it is finished"},
    "closed": {"ar": "المكتب مغلق حاليا", "en": "This desk is closed"},
    "employee": {"ar": "الموظف", "en": "Employee"},
    # The signed-in employee, named in the visitor's language ({name}: name_ar or name_en).
    "serving": {"ar": "تقيّم خدمة: {name}", "en": "You are rating the service of {name}"},
}

# The staff screens are for ministry staff: Arabic and English side by side, not switched.
# "Arabic  ·  English" on one line: the Arabic reads first (at the right), the English after it.
# No punctuation at the end of such a line: in a right-to-left line it lands on the wrong side.
STAFF: dict[str, str] = {
    "pin_title": "رمز المكتب  ·  Desk PIN",
    "pin_wrong": "رمز خاطئ  ·  Wrong PIN",
    "pin_locked": "محاولات كثيرة، انتظر دقيقة  ·  Too many tries, wait a minute",
    "pin_unset": (
        "لم يُضبط رمز للمكتب  ·  No desk PIN is set\n"
        "شغّل على هذا الجهاز  ·  On this tablet, run\n"
        "sudo taqyeem-device set-pin\n"
        "ثم أعد تشغيل الكشك  ·  then restart the kiosk"
    ),
    "staff_title": "إعدادات المكتب  ·  Desk settings",
    "staff_note": "يسجل كل موظف دخوله برمزه  ·  Employees sign in with their own PIN",
    "sign_out": "تسجيل خروج  ·  Sign out",
    "service_done": "انتهت الخدمة  ·  Service done",
    "close": "إغلاق  ·  Close",
    "back": "رجوع  ·  Back",
    "ok": "موافق  ·  OK",
    # The employee's own sign-in: the roster, then their PIN.
    "staff_sign_in": "دخول الموظف  ·  Staff sign in",
    "signin_hint": "اختر اسمك أو امسح بطاقتك  ·  Choose your name or scan your badge",
    "now_serving": "يخدم الآن: {ar}  ·  Now serving: {en}",
    "no_roster": "لا توجد أسماء لهذا الموقع بعد، راجع الدعم الفني  ·  No staff list for this site yet: ask IT",
    "unknown_id": "الرقم غير موجود في قائمة هذا الموقع  ·  This staff number is not on this site's list",
    "pin_not_set": "عيّن رمزك من الموقع أولا  ·  Set your PIN on the web first",
    "desk_settings": "إعدادات المكتب\nDesk settings",
    "previous": "السابق\nPrevious",
    "next": "التالي\nNext",
    "employee_pin_title": "أدخل رمزك  ·  Enter your PIN",
    "sign_out_pin_title": "للخروج: رمزك أو رمز المكتب  ·  To sign out: your PIN or the desk PIN",
    "checking": "جار التحقق...  ·  Checking...",
    "employee_pin_wrong": "رمز خاطئ  ·  Wrong PIN",
    "employee_locked": "محاولات خاطئة كثيرة، حاول بعد {ar}  ·  Too many wrong PINs: try again in {en}",
}


def stacked(line: str) -> str:
    """ "Arabic  ·  English" as two lines, for a label too narrow for both (each wraps on its own)."""
    return line.replace("  ·  ", "\n")


def minutes_phrase(minutes: int) -> tuple[str, str]:
    """ "5 دقائق" / "5 minutes": Arabic counts take the singular, the dual or the plural."""
    if minutes == 1:
        return "دقيقة", "1 minute"
    if minutes == 2:
        return "دقيقتين", "2 minutes"
    word = "دقائق" if 3 <= minutes <= 10 else "دقيقة"
    return f"{minutes} {word}", f"{minutes} minutes"


def locked_for(minutes: int) -> str:
    ar, en = minutes_phrase(minutes)
    return STAFF["employee_locked"].format(ar=ar, en=en)


def text(key: str, lang: Language) -> str:
    return TEXTS[key][lang]
