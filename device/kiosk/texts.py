"""The staff screens' words (Arabic and English side by side); the visitor's are in ``locale/`` (``translations``)."""

from __future__ import annotations

from device.kiosk.translations import MODULES, face_words
from device.kiosk.translations import text as text

# Faces run 1 (very dissatisfied) at the left to 5 (very satisfied) at the right
# in EVERY language; the row is never mirrored for a right-to-left one (see widgets/faces.py).
# The visitor's words live in device/kiosk/locale/<lang>/LC_MESSAGES/kiosk.po (device/kiosk/translations.py).
FACE_WORDS: dict[str, tuple[str, ...]] = {code: face_words(code) for code in MODULES}

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
    "staff_key": "دخول الموظف\nStaff sign in",  # the small key at the top left of the visitor's screens
    "signin_hint": "اختر اسمك أو امسح بطاقتك  ·  Choose your name or scan your badge",
    "now_serving": "يخدم الآن: {ar}  ·  Now serving: {en}",
    "no_roster": "لا توجد أسماء لهذا الموقع بعد، راجع الدعم الفني  ·  No staff list for this site yet: ask IT",
    "unknown_id": "الرقم غير موجود في قائمة هذا الموقع  ·  This staff number is not on this site's list",
    "pin_not_set": "عيّن رمزك من الموقع أولا  ·  Set your PIN on the web first",
    # A lost tablet held the PIN's hash (taqyeem devices revoke --lost): the old PIN no longer signs in. One line.
    "pin_withdrawn": "يلزمك رمز جديد: من صفحتي أو من المشرف  ·  New PIN needed: set it on My page or ask a supervisor",
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
