"""हिन्दी (hi): every word the kiosk shows a visitor in this language.

Strings a translator must check first are in CHECK (docs/translations.md).
"""

from __future__ import annotations

RTL = False

# Faces 1 (very dissatisfied, left) to 5 (very satisfied, right); the order is the same in every language.
FACES = (
    "बिल्कुल असंतुष्ट",
    "असंतुष्ट",
    "सामान्य",
    "संतुष्ट",
    "बहुत संतुष्ट",
)

TEXTS = {
    "language": "भाषा",
    "large_text": "बड़े अक्षर",
    "privacy": "आपकी रेटिंग गुमनाम है; आपके बारे में कुछ भी नहीं रखा जाता",
    "attract_title": "आपकी राय महत्वपूर्ण है",
    "attract_touch": "सेवा को रेटिंग देने के लिए स्क्रीन छुएँ",
    "attract_invited": "सेवा पूरी होने के बाद आप रेटिंग दे सकेंगे",
    "question": "जिस कर्मचारी ने आपकी सेवा की, उसकी सेवा से आप कितने संतुष्ट हैं?",
    "followup_title": "हमें खेद है। क्या ठीक नहीं रहा?",
    "followup_hint": "जो लागू हो, चुनें; यह वैकल्पिक है",
    "send": "भेजें",
    "skip": "छोड़ें",
    "survey_title": "सुधार में हमारी मदद के लिए एक छोटा प्रश्न",
    "survey_progress": "प्रश्न {n} / {total}",
    "scale_hint": "1 सबसे कम, 5 सबसे अधिक",
    "thanks_title": "धन्यवाद",
    "thanks_body": "आपकी रेटिंग दर्ज हो गई है",
    "closed_title": "यह काउंटर अभी बंद है",
    "closed_body": "कृपया किसी दूसरे काउंटर पर जाएँ",
    "cooldown": "कृपया एक क्षण रुकें",
    "wait_invite": "सेवा पूरी होने के बाद आप रेटिंग दे सकेंगे",
    "closed": "यह काउंटर अभी बंद है",
    "employee": "कर्मचारी",
    "serving": "आप {name} की सेवा को रेटिंग दे रहे हैं",
}

# The shipped reason codes (shared/contract.py DEFAULT_REASONS); Arabic and English come from the config.
REASONS = {
    "waiting_time": "प्रतीक्षा का समय",
    "staff_courtesy": "कर्मचारी का व्यवहार",
    "not_resolved": "मेरा काम नहीं हुआ",
    "procedure": "जटिल प्रक्रिया",
    "information": "जानकारी स्पष्ट नहीं",
    "facilities": "स्थान और सुविधाएँ",
}

CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS")
