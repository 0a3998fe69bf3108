"""The staff PIN: stored only as a salted, slow hash in the device settings.

Format: ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``. There is no default
PIN; without ``staff_pin_hash`` the staff screen stays shut and says how to set one.
Set one with ``taqyeem-device set-pin`` (asks twice, writes the hash into device.toml).
"""

from __future__ import annotations

import hashlib
import hmac
import os

ITERATIONS = 120_000  # about 0.1 s on a Raspberry Pi 4: slows guessing from a copied config
SCHEME = "pbkdf2_sha256"


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValueError("a staff PIN is 4 to 12 digits")
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

