"""One-time enrolment codes for new tablets (issue 13): the rules and the sealing, as plain functions.

``taqyeem provision device --code`` prints a short code such as ``7KQ2-M9XD-4HPA``
(12 letters and digits of an alphabet without look-alikes: no 0/O, 1/I/L, U),
which a new tablet redeems once at ``POST /api/v1/enrol``. The database keeps
neither the code nor the device's password in clear:

- one scrypt of the code (``derive``) gives 64 bytes: the first 32 are the
  AES-256-GCM key that seals the enrolment payload (device id, broker, password,
  CA, release key), the last 32 are hashed again into ``lookup``, the row's key.
  The salt is a fixed label, so the row can be found from the code alone; the
  cost of a guess is one scrypt (about 50 ms, 16 MiB) whichever half is attacked;
- ``seal`` and ``unseal`` are AES-GCM with a random nonce and the lookup hash as
  associated data, so a sealed payload moved to another row does not open.

Typed codes are forgiving (``normalise``): case, spaces and dashes are ignored.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from collector.guards.address_limits import AddressWindow

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols: 12 of them are about 59 bits
CODE_LENGTH = 12
GROUP = 4
DEFAULT_CODE_HOURS = 24
SCRYPT_SALT = b"taqyeem-enrolment-code-v1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
NONCE_BYTES = 12


class CodeError(ValueError):
    """A typed code that cannot be one of ours (wrong length or letters); the text says why."""


@dataclass(frozen=True)
class Keys:
    lookup: str  # hex SHA-256 of the second half of the scrypt output: the row's key
    secret: bytes  # 32 bytes: the AES-256-GCM key of the sealed payload


def new_code() -> str:
    """12 random symbols of ``ALPHABET``, shown in groups of four: ``7KQ2-M9XD-4HPA``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return shown(raw)


def shown(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(typed: str) -> str:
    """The code as stored: capitals, no dashes or spaces; CodeError if it cannot be a code."""
    raw = "".join(ch for ch in typed.upper() if ch not in "- \t")
    if len(raw) != CODE_LENGTH:
        raise CodeError(f"an enrolment code has {CODE_LENGTH} letters and digits, like 7KQ2-M9XD-4HPA")
    wrong = sorted({ch for ch in raw if ch not in ALPHABET})
    if wrong:
        raise CodeError(f"an enrolment code has no {', '.join(wrong)}: check the code printed for this tablet")
    return raw


def derive(code: str) -> Keys:
    """The row's lookup hash and the payload's key, from the (normalised) code: one scrypt."""
    material = hashlib.scrypt(code.encode(), salt=SCRYPT_SALT, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=64)
    return Keys(hashlib.sha256(material[32:]).hexdigest(), material[:32])


def seal(keys: Keys, payload: dict[str, Any]) -> bytes:
    """nonce + AES-GCM(payload as JSON), bound to the row by its lookup hash."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    data = json.dumps(payload, separators=(",", ":")).encode()
    return nonce + AESGCM(keys.secret).encrypt(nonce, data, keys.lookup.encode())


def unseal(keys: Keys, sealed: bytes) -> dict[str, Any]:
    """The payload ``seal`` sealed; ValueError if the key or the row is not the one it was sealed for."""
    try:
        data = AESGCM(keys.secret).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], keys.lookup.encode())
    except InvalidTag:
        raise ValueError("the sealed enrolment does not open with this code") from None
    value = json.loads(data)
    if not isinstance(value, dict):
        raise ValueError("the sealed enrolment is not an object")
    return value


def payload_of(
    device_id: str, broker: str, password: str, ca_pem: str, release_key: str | None, desk: dict[str, str] | None
) -> dict[str, Any]:
    """What the tablet gets back: the bundle's contents (and the desk's names, for its screen)."""
    payload: dict[str, Any] = {"device_id": device_id, "broker": broker, "password": password, "ca": ca_pem}
    if release_key:
        payload["release_key"] = release_key
    if desk:
        payload["desk"] = desk
    return payload


def expiry(created: datetime, hours: int = DEFAULT_CODE_HOURS) -> datetime:
    return created + timedelta(hours=hours)


def state_of(row: dict[str, Any], now: str) -> str:
    """``pending``, ``used``, ``revoked`` or ``expired``: what ``taqyeem provision codes`` shows."""
    if row["used_at"] is not None:
        return "used"
    if row["revoked_at"] is not None:
        return "revoked"
    return "expired" if row["expires_at"] <= now else "pending"


class WrongCodes(AddressWindow):
    """At most ``failures`` wrong codes per ``window_s`` seconds from one address (in memory, per app)."""

    def __init__(self, failures: int = 5, window_s: float = 60.0) -> None:
        super().__init__(failures, window_s)

    @property
    def failures(self) -> int:
        return self.limit

    def blocked(self, address: str, now: float) -> bool:
        return self.full(address, now)

    def note(self, address: str, now: float) -> None:
        self.add(address, now)
