"""The device's typed settings: a TOML file, then TAQYEEM_* variables, then arguments."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.broker_url import BrokerAddress, parse_broker_url
from shared.contract import NAME_PATTERN, describe_validation_error
from shared.releases import public_key_bytes


class SettingsError(ValueError):
    """Settings that cannot work; the text names the key and what to do."""


class DeviceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    device_id: Annotated[str, Field(pattern=NAME_PATTERN)]
    data_dir: Path
    # mqtt://host:port or mqtts://host:port; the username is always the device id.
    broker: str | None = None
    # The device's broker password: in a file (preferred) or given directly (tests, simulator).
    password_file: Path | None = None
    password: str | None = Field(default=None, repr=False)
    ca_file: Path | None = None
    resend_after_s: Annotated[float, Field(gt=0)] = 30.0
    max_in_flight: Annotated[int, Field(ge=1, le=10000)] = 200
    status_every_s: Annotated[float, Field(gt=0)] = 30.0
    # Kiosk staff PIN as pbkdf2_sha256$iterations$salt$hash; set one with `taqyeem-device set-pin`.
    staff_pin_hash: str | None = Field(default=None, repr=False)
    fullscreen: bool = True
    # The spoken prompts, one folder per language (device/kiosk/sounds.py); default <data_dir>/sounds.
    sounds_dir: Path | None = None
    # 1.1: the centre's release-signing public key (base64 Ed25519, from provisioning); None: no updates.
    release_key: str | None = None

    @field_validator("broker")
    @classmethod
    def _broker(cls, value: str | None) -> str | None:
        if value is not None:
            parse_broker_url(value)
        return value

    @field_validator("release_key")
    @classmethod
    def _release_key(cls, value: str | None) -> str | None:
        if value is not None:
            public_key_bytes(value)  # its form only: cryptography is imported when a release is checked
        return value

    def sounds_path(self) -> Path:
        return self.sounds_dir if self.sounds_dir is not None else self.data_dir / "sounds"

    def made_sounds_path(self) -> Path:
        """Where the kiosk keeps prompts it made itself with espeak-ng at their first use (sounds.make_prompts)."""
        return self.data_dir / "cache" / "sounds"

    def broker_address(self) -> BrokerAddress | None:
        if self.broker is None:
            return None
        address = parse_broker_url(self.broker)
        password = address.password or self.password
        if self.password_file is not None:
            password = self.password_file.read_text().strip()
        return BrokerAddress(address.host, address.port, address.tls, self.device_id, password)


def load_device_settings(config_file: Path | None = None, **overrides: Any) -> DeviceSettings:
    """Merge the TOML file, ``TAQYEEM_<KEY>`` variables and explicit overrides (in that order)."""
    values: dict[str, Any] = {}
    if config_file is not None:
        try:
            values.update(tomllib.loads(config_file.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise SettingsError(f"config file {config_file} does not exist") from None
        except UnicodeDecodeError:
            raise SettingsError(f"config file {config_file} is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {config_file} is not valid TOML: {exc}") from None
    for name in DeviceSettings.model_fields:
        env = os.environ.get(f"TAQYEEM_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        settings = DeviceSettings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(f"device settings: {describe_validation_error(exc)}") from None
    for key in ("password_file", "ca_file"):
        path = getattr(settings, key)
        if path is not None and not path.is_file():
            raise SettingsError(
                f"{key} {path} does not exist; copy it from the desk's enrolment bundle or fix the path"
                + (f" in {config_file}" if config_file else "")
            )
    return settings
