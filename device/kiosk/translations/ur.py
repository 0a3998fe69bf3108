"""اردو (ur): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = True

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "بالکل مطمئن نہیں",
    "مطمئن نہیں",
    "درمیانہ",
    "مطمئن",
    "بہت مطمئن",
)

TEXTS = {
    "language": "زبان",
    "large_text": "بڑا متن",
    "privacy": "آپ کی درجہ بندی گمنام ہے، آپ کے بارے میں کچھ بھی نہیں رکھا جاتا",
    "attract_title": "آپ کی رائے اہم ہے",
    "attract_touch": "خدمت کی درجہ بندی کے لیے اسکرین کو چھوئیں",
    "attract_invited": "خدمت مکمل ہونے کے بعد آپ درجہ بندی کر سکیں گے",
    "question": "جس ملازم نے آپ کی خدمت کی، آپ اس کی خدمت سے کتنے مطمئن ہیں؟",
    "followup_title": "ہمیں افسوس ہے۔ کیا چیز اچھی نہیں لگی؟",
    "followup_hint": "جو لاگو ہو منتخب کریں، اگر آپ چاہیں",
    "send": "بھیجیں",
    "skip": "چھوڑ دیں",
    "survey_title": "بہتری میں ہماری مدد کے لیے ایک مختصر سوال",
    "survey_progress": "سوال {n} از {total}",
    "scale_hint": "1 سب سے کم، 5 سب سے زیادہ",
    "thanks_title": "شکریہ",
    "thanks_body": "آپ کی درجہ بندی درج ہو گئی ہے",
    "closed_title": "یہ کاؤنٹر اس وقت بند ہے",
    "closed_body": "براہ کرم کسی دوسرے کاؤنٹر پر جائیں",
    "cooldown": "براہ کرم ایک لمحہ انتظار کریں",
    "wait_invite": "خدمت مکمل ہونے کے بعد آپ درجہ بندی کر سکیں گے",
    "closed": "یہ کاؤنٹر اس وقت بند ہے",
    "employee": "ملازم",
    "serving": "آپ {name} کی خدمت کی درجہ بندی کر رہے ہیں",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS = {
    "waiting_time": "انتظار کا وقت",
    "staff_courtesy": "ملازم کا رویہ",
    "not_resolved": "میرا کام نہیں ہوا",
    "procedure": "طریقۂ کار پیچیدہ ہے",
    "information": "معلومات واضح نہیں",
    "facilities": "جگہ اور سہولیات",
}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
