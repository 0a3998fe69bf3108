"""English (en): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = False

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "Very dissatisfied",
    "Dissatisfied",
    "Neutral",
    "Satisfied",
    "Very satisfied",
)

TEXTS = {
    "language": "Language",
    "large_text": "Large text",
    "privacy": "Your rating is anonymous; nothing about you is kept",
    "attract_title": "Your opinion matters",
    "attract_touch": "Touch the screen to rate the service",
    "attract_invited": "You can rate the service when it is finished",
    "question": "How satisfied are you with the service of the employee who attended you?",
    "followup_title": "We are sorry. What went wrong?",
    "followup_hint": "Choose any that apply, if you wish",
    "send": "Send",
    "skip": "Skip",
    "survey_title": "A quick question to help us improve",
    "survey_progress": "Question {n} of {total}",
    "scale_hint": "1 is the lowest, 5 the highest",
    "thanks_title": "Thank you",
    "thanks_body": "Your rating has been recorded",
    "closed_title": "This desk is closed",
    "closed_body": "Please go to another desk",
    "cooldown": "One moment, please",
    "wait_invite": "You can rate the service when it is finished",
    "closed": "This desk is closed",
    "employee": "Employee",
    "serving": "You are rating the service of {name}",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS: dict[str, str] = {}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
