"""বাংলা (bn): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = False

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "একেবারেই অসন্তুষ্ট",
    "অসন্তুষ্ট",
    "মোটামুটি",
    "সন্তুষ্ট",
    "খুব সন্তুষ্ট",
)

TEXTS = {
    "language": "ভাষা",
    "large_text": "বড় লেখা",
    "privacy": "আপনার রেটিং বেনামী; আপনার সম্পর্কে কিছুই রাখা হয় না",
    "attract_title": "আপনার মতামত গুরুত্বপূর্ণ",
    "attract_touch": "সেবার রেটিং দিতে স্ক্রিন স্পর্শ করুন",
    "attract_invited": "সেবা শেষ হলে আপনি রেটিং দিতে পারবেন",
    "question": "যে কর্মী আপনাকে সেবা দিয়েছেন, তাঁর সেবায় আপনি কতটা সন্তুষ্ট?",
    "followup_title": "আমরা দুঃখিত। কী ঠিক ছিল না?",
    "followup_hint": "যা প্রযোজ্য বেছে নিন; এটি ঐচ্ছিক",
    "send": "পাঠান",
    "skip": "বাদ দিন",
    "survey_title": "উন্নতিতে আমাদের সাহায্য করতে একটি ছোট প্রশ্ন",
    "survey_progress": "প্রশ্ন {n} / {total}",
    "scale_hint": "1 সবচেয়ে কম, 5 সবচেয়ে বেশি",
    "thanks_title": "ধন্যবাদ",
    "thanks_body": "আপনার রেটিং নথিভুক্ত হয়েছে",
    "closed_title": "এই কাউন্টার এখন বন্ধ",
    "closed_body": "অনুগ্রহ করে অন্য কাউন্টারে যান",
    "cooldown": "অনুগ্রহ করে একটু অপেক্ষা করুন",
    "wait_invite": "সেবা শেষ হলে আপনি রেটিং দিতে পারবেন",
    "closed": "এই কাউন্টার এখন বন্ধ",
    "employee": "কর্মী",
    "serving": "আপনি {name}-এর সেবার রেটিং দিচ্ছেন",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS = {
    "waiting_time": "অপেক্ষার সময়",
    "staff_courtesy": "কর্মীর আচরণ",
    "not_resolved": "আমার কাজ হয়নি",
    "procedure": "জটিল প্রক্রিয়া",
    "information": "তথ্য স্পষ্ট নয়",
    "facilities": "স্থান ও সুবিধা",
}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
