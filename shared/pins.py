"""PINs kept only as salted, slow hashes: the desk's staff PIN and each employee's own PIN.

Format: ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``. PBKDF2-SHA256 because
it is in Python's standard library on the tablet (argon2 is a collector-only
package). The desk PIN (IT's staff screen) lives in device.toml, set with
``taqyeem-device set-pin``; an employee's PIN is hashed on the collector with
``EMPLOYEE_ITERATIONS`` (PROTOCOL 1.1: at least 600,000) and reaches the tablets of
their site in the DeviceConfig's ``staff``, so the tablet checks it offline and no
PIN ever travels or rests in clear.

``pin_weakness`` is PROTOCOL 1.2's rule for a PIN being set (4 to 8 digits,
not one digit repeated, not a run), the one both sides apply: the collector
(My page, ``taqyeem employees pin``) and the tablet (``taqyeem-device set-pin``).
It does not apply to checking: a hash made before 1.2 still verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
from typing import Literal

ITERATIONS = 120_000  # the desk PIN: about 0.1 s on a Raspberry Pi 4, slows guessing from a copied config
EMPLOYEE_ITERATIONS = 600_000  # PROTOCOL 1.1's floor for a hash that travels in the DeviceConfig
SCHEME = "pbkdf2_sha256"
SHORTEST, LONGEST = 4, 8  # PROTOCOL 1.2: the length of a PIN being set

PinWeakness = Literal["not_digits", "length", "repeated", "run"]
WEAKNESS_TEXTS: dict[PinWeakness, str] = {  # English; the web page has them in Arabic too (collector/web/i18n.py)
    "not_digits": "a PIN is digits (0-9) only",
    "length": f"a PIN is {SHORTEST} to {LONGEST} digits",
    "repeated": "a PIN cannot be one digit repeated (like 1111); choose digits that differ",
    "run": "a PIN cannot be a run of digits (like 1234 or 9876); choose digits in no order",
}


def pin_weakness(pin: str) -> PinWeakness | None:
    """Why PROTOCOL 1.2 refuses ``pin`` as a new PIN, or None when it may be set (pure).

    ``pin`` is in ASCII digits (translate ٠-٩ first). A run goes up or down by one
    at every step, 0 following 9 as on a keypad's row (1234, 9876, 7890).
    """
    if not (pin.isascii() and pin.isdigit()):
        return "not_digits"
    if not SHORTEST <= len(pin) <= LONGEST:
        return "length"
    if len(set(pin)) == 1:
        return "repeated"
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        return "run"
    return None


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValueError("a PIN is 4 to 12 digits")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """False for a wrong PIN, no stored hash, or a stored value in an unknown format."""
    if not stored or not pin:
        return False
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        if scheme != SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
