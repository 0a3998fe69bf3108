"""PINs kept only as salted, slow hashes: the desk's staff PIN and each employee's own PIN.

Format: ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``. PBKDF2-SHA256 because
it is in Python's standard library on the tablet (argon2 is a collector-only
package). The desk PIN (IT's staff screen) lives in device.toml, set with
``taqyeem-device set-pin``; an employee's PIN is hashed on the collector with
``EMPLOYEE_ITERATIONS`` (PROTOCOL 1.1: at least 600,000) and reaches the tablets of
their site in the DeviceConfig's ``staff``, so the tablet checks it offline and no
PIN ever travels or rests in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import os

ITERATIONS = 120_000  # the desk PIN: about 0.1 s on a Raspberry Pi 4, slows guessing from a copied config
EMPLOYEE_ITERATIONS = 600_000  # PROTOCOL 1.1's floor for a hash that travels in the DeviceConfig
SCHEME = "pbkdf2_sha256"


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
