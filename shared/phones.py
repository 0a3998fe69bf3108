"""A Saudi mobile number as a visitor types it, read into E.164 (PROTOCOL 1.2, ``callback_phone``); pure.

Both sides use it: the kiosk's keypad and the link page accept the ways people write their number
(``05x xxx xxxx``, ``5xxxxxxxx``, ``+966 5x ...``, ``00966 5x ...``, with spaces or dashes, in Western or
Arabic-Indic digits) and send ``+9665xxxxxxxx``.
"""

from __future__ import annotations

import re

CALLBACK_PHONE = r"^\+9665[0-9]{8}$"  # E.164, a Saudi mobile number (PROTOCOL 1.2, callback_phone)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LOCAL = re.compile(r"^(?:\+?966|00966|0)?(5\d{8})$")


def saudi_mobile(typed: str) -> str | None:
    """``+9665xxxxxxxx``, or None when ``typed`` is not a Saudi mobile number."""
    compact = re.sub(r"[\s\-().]", "", typed.translate(_DIGITS))
    found = _LOCAL.fullmatch(compact)
    if found is None:
        return None
    phone = "+966" + found[1]
    return phone if re.fullmatch(CALLBACK_PHONE, phone) else None
