"""العربية (ar): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = True

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "غير راض أبدا",
    "غير راض",
    "محايد",
    "راض",
    "راض جدا",
)

TEXTS = {
    "language": "اللغة",
    "large_text": "خط كبير",
    "privacy": "تقييمك مجهول الهوية، ولا نحتفظ بأي شيء عنك",
    "attract_title": "رأيك يهمنا",
    "attract_touch": "المس الشاشة لتقييم الخدمة",
    "attract_invited": "سيظهر التقييم بعد انتهاء خدمتك",
    "question": "ما مدى رضاك عن خدمة الموظف الذي خدمك؟",
    "followup_title": "نأسف لذلك. ما الذي لم يعجبك؟",
    "followup_hint": "اختر ما ينطبق، وهو اختياري",
    "send": "إرسال",
    "skip": "تخطي",
    "survey_title": "سؤال سريع يساعدنا على التحسين",
    "survey_progress": "السؤال {n} من {total}",
    "scale_hint": "1 هو الأقل، 5 هو الأعلى",
    "thanks_title": "شكرا لك",
    "thanks_body": "تم تسجيل تقييمك",
    "closed_title": "المكتب مغلق حاليا",
    "closed_body": "يرجى التوجه إلى مكتب آخر",
    "cooldown": "لحظة من فضلك",
    "wait_invite": "سيظهر التقييم بعد انتهاء خدمتك",
    "closed": "المكتب مغلق حاليا",
    "employee": "الموظف",
    "serving": "تقيّم خدمة: {name}",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS: dict[str, str] = {}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
