"""Signed releases of the tablet's program (1.1): what DeviceConfig.release carries, what a tablet
reports back in its Status, and the one signature rule both sides use.

An admin signs a wheel with the centre's Ed25519 private key (`taqyeem release add --sign-key`);
every tablet holds the matching public key from its provisioning (device.toml ``release_key``).
The signature covers a short statement that binds the version to the file's size and SHA-256,
so a signed file cannot be passed off as another version.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

if TYPE_CHECKING:  # cryptography (8 MiB resident) is imported when a key is used, not by the kiosk's start
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION_PATTERN = r"^[0-9]+(\.[0-9]+){1,3}([a-z0-9.+-]{0,32})$"  # 0.2.0, 1.0.1rc1, 1.2.0+centre
MAX_RELEASE_BYTES = 200 * 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

ReleaseVersion = Annotated[str, Field(pattern=VERSION_PATTERN)]


class Release(BaseModel):
    """``DeviceConfig.release``: the version this tablet should run and where to fetch it."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    version: ReleaseVersion
    url: Annotated[str, Field(min_length=1, max_length=2048)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[StrictInt, Field(ge=1, le=MAX_RELEASE_BYTES)]
    signature: Annotated[str, Field(min_length=1, max_length=128)]  # base64 of the 64-byte Ed25519 signature

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme == "https" and parts.hostname:
            return value
        if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
            return value  # one machine (the demo, tests): nothing travels over a network
        raise ValueError("must be an https:// address (http:// only on this machine's loopback)")


UpdateState = Literal["downloading", "ready", "failed", "trying", "done", "rolled_back"]


class UpdateReport(BaseModel):
    """``Status.update``: where the tablet is with its latest release.

    ``downloading`` -> ``ready`` (checked and installed beside the running version) -> ``trying``
    (switched, on trial) -> ``done`` (came online); or ``failed`` (refused: size, hash, signature,
    download; ``reason`` says which) or ``rolled_back`` (the new version did not come online or kept
    crashing; the previous one runs again; ``reason`` says why).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)
    version: ReleaseVersion
    state: UpdateState
    reason: Annotated[str, Field(max_length=300)] | None = None
    at: str | None = None


def release_statement(version: str, sha256: str, size: int) -> bytes:
    """The bytes a release's signature covers."""
    return f"taqyeem-release-v1\n{version}\n{sha256}\n{size}\n".encode()


def sign_release(key: Ed25519PrivateKey, version: str, sha256: str, size: int) -> str:
    return base64.b64encode(key.sign(release_statement(version, sha256, size))).decode()


PUBLIC_KEY_BYTES = 32  # an Ed25519 public key's raw size


def public_key_bytes(text: str) -> bytes:
    """The raw bytes of a public key as `taqyeem release keygen` prints it (base64 of its 32 raw bytes),
    checked as ``load_public_key`` checks them, without importing cryptography (a tablet's settings)."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != PUBLIC_KEY_BYTES:
        raise ValueError(
            "release_key: not an Ed25519 public key (44 characters of base64, as `taqyeem release keygen` prints)"
        )
    return raw


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key as `taqyeem release keygen` prints it (base64 of its 32 raw bytes)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(public_key_bytes(text))


def public_key_text(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def signature_is_valid(public_key: Ed25519PublicKey, release: Release) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        signature = base64.b64decode(release.signature, validate=True)
        public_key.verify(signature, release_statement(release.version, release.sha256, release.size))
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True
