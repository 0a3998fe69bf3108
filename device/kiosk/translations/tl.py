"""Tagalog (tl): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = False

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "Lubhang hindi nasisiyahan",
    "Hindi nasisiyahan",
    "Katamtaman",
    "Nasisiyahan",
    "Lubhang nasisiyahan",
)

TEXTS = {
    "language": "Wika",
    "large_text": "Malaking teksto",
    "privacy": "Hindi nagpapakilala ang iyong rating; walang itinatago tungkol sa iyo",
    "attract_title": "Mahalaga ang iyong opinyon",
    "attract_touch": "Pindutin ang screen para i-rate ang serbisyo",
    "attract_invited": "Maaari mong i-rate ang serbisyo kapag tapos na ito",
    "question": "Gaano ka nasisiyahan sa serbisyo ng empleyadong tumulong sa iyo?",
    "followup_title": "Paumanhin. Ano ang hindi naging maayos?",
    "followup_hint": "Piliin ang anumang naaangkop, kung gusto mo",
    "send": "Ipadala",
    "skip": "Laktawan",
    "survey_title": "Isang mabilis na tanong para makatulong sa amin",
    "survey_progress": "Tanong {n} sa {total}",
    "scale_hint": "1 ang pinakamababa, 5 ang pinakamataas",
    "thanks_title": "Salamat",
    "thanks_body": "Naitala na ang iyong rating",
    "closed_title": "Sarado ang desk na ito",
    "closed_body": "Pumunta po sa ibang desk",
    "cooldown": "Sandali lang po",
    "wait_invite": "Maaari mong i-rate ang serbisyo kapag tapos na ito",
    "closed": "Sarado ang desk na ito",
    "employee": "Empleyado",
    "serving": "Nire-rate mo ang serbisyo ni {name}",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS = {
    "waiting_time": "Tagal ng paghihintay",
    "staff_courtesy": "Pakikitungo ng empleyado",
    "not_resolved": "Hindi naasikaso ang aking kahilingan",
    "procedure": "Komplikadong proseso",
    "information": "Hindi malinaw na impormasyon",
    "facilities": "Lugar at pasilidad",
}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
