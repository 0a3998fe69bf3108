"""The collector's typed settings: a TOML file, then TAQYEEM_* variables, then CLI options."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shared.broker_url import BrokerAddress, parse_broker_url
from shared.contract import describe_validation_error
from shared.releases import load_public_key


class SettingsError(ValueError):
    """Settings that cannot work; the text names the key and what to do."""


class SiteAlerts(BaseModel):
    """``[alerts.riyadh-hq]`` in the collector TOML: where a site's alerts and its digest go."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Not in repr: an apprise URL may carry a password or a token.
    urls: list[str] = Field(default_factory=list, repr=False, description="apprise URLs told of every negative rating")
    manager_urls: list[str] = Field(default_factory=list, repr=False, description="apprise URLs of the digest")
    urls_file: Path | None = Field(default=None, description="more of urls, one a line (a secret: chmod 600)")
    manager_urls_file: Path | None = Field(default=None, description="more of manager_urls, one a line (chmod 600)")
    # 1.1: an SMS gateway's apprise URLs for rating links; {phone} in a URL stands for the visitor's number.
    sms_urls: list[str] = Field(default_factory=list, repr=False, description="apprise URLs of SMS, with {phone}")
    sms_urls_file: Path | None = Field(default=None, description="more of sms_urls, one a line (chmod 600)")
    digest_at: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = "16:30"

    @model_validator(mode="before")
    @classmethod
    def _read_url_files(cls, values: Any) -> Any:
        """Channel secrets (SMTP passwords, webhook tokens) live in files; read them once, at start."""
        if not isinstance(values, dict):
            return values
        values = dict(values)
        for key in ("urls", "manager_urls", "sms_urls"):
            path = values.get(f"{key}_file")
            if path is not None:
                try:
                    values[key] = [*values.get(key, []), *read_url_file(Path(path))]
                except ValueError as exc:
                    raise ValueError(f"{key}_file: {exc}") from None
        return values


class AdminAlertSettings(BaseModel):
    """``[admin_alerts]`` in the collector TOML: where admins hear of security events (alerts/to_admins.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    urls: list[str] = Field(
        default_factory=list, repr=False, description="apprise URLs told of a user name under sign-in attack"
    )
    urls_file: Path | None = Field(default=None, description="more of urls, one a line (a secret: chmod 600)")

    @model_validator(mode="before")
    @classmethod
    def _read_url_file(cls, values: Any) -> Any:
        if not isinstance(values, dict) or values.get("urls_file") is None:
            return values
        try:
            return {**values, "urls": [*values.get("urls", []), *read_url_file(Path(values["urls_file"]))]}
        except ValueError as exc:
            raise ValueError(f"urls_file: {exc}") from None


class RetentionSettings(BaseModel):
    """``[retention]`` in the collector TOML: how long personal free text is kept (docs/privacy.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    comments_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        default=90, description="days a rating's free-text comment is kept, then blanked (0: at the next purge)"
    )
    callback_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        default=30, description="days a visitor's callback number is kept after its review closes, then erased"
    )


class SheetSettings(BaseModel):
    """``[sheet]`` in the collector TOML: the heading of the printable "centre in figures" sheet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ministry_ar: Annotated[str, Field(min_length=1, max_length=120)] = Field(
        default="المملكة العربية السعودية", description="the ministry's title in Arabic, first line of the heading"
    )
    ministry_en: Annotated[str, Field(min_length=1, max_length=120)] = Field(
        default="Kingdom of Saudi Arabia", description="the same in English"
    )


def read_url_file(path: Path) -> list[str]:
    """Apprise URLs, one a line (blank lines and # comments skipped); refused if every user may read it."""
    try:
        mode = path.stat().st_mode
        text = path.read_text()
    except OSError as exc:
        raise ValueError(
            f"cannot read {path} ({exc.strerror}); check the path and that this user may read it"
        ) from None
    if mode & 0o004:
        raise ValueError(f"{path} holds channel secrets but every user may read it; run: chmod 600 {path}")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class CollectorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    broker: str = Field(
        description="mqtt://USER:PASS@HOST:PORT or mqtts://... (password may come from broker_password_file)"
    )
    broker_password_file: Path | None = None
    ca: Path | None = Field(default=None, description="CA certificate for mqtts://")
    db: Path = Field(description="SQLite file of the collector")
    http: str = Field(default="127.0.0.1:8080", description="HOST:PORT the web app and API listen on")
    client_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = "taqyeem-collector"
    session_expiry_s: Annotated[int, Field(ge=60)] = 7 * 24 * 3600
    shared_group: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None
    batch_size: Annotated[int, Field(ge=1, le=5000)] = 500
    batch_wait_ms: Annotated[int, Field(ge=1, le=5000)] = 50
    clock_tolerance_s: Annotated[float, Field(gt=0)] = 60.0
    # The database check before serving; a file too big to check whole in it is checked after (integrity_check.py).
    startup_check_s: Annotated[float, Field(ge=0, le=600)] = 2.0  # store/opening.py:STARTUP_CHECK_S
    log_level: str = "INFO"
    # Supervisors' side: local day, opening hours, alert channels per site (see collector/alerts/).
    timezone: str = Field(default="Asia/Riyadh", description="IANA zone of the centres: days and hours in pages")
    open_hours: str = Field(default="08:00-16:00", description="HH:MM-HH:MM a desk is expected to be staffed")
    open_weekdays: str = Field(default="sun,mon,tue,wed,thu", description="days the centres open, comma-separated")
    alerts: dict[str, SiteAlerts] = Field(default_factory=dict, description='per site id (or "*"): apprise URLs')
    alert_retries: Annotated[int, Field(ge=0, le=10)] = 3
    alert_retry_s: Annotated[float, Field(ge=0, le=600)] = 2.0
    retention: RetentionSettings = Field(default_factory=RetentionSettings, description="how long comments are kept")
    sheet: SheetSettings = Field(default_factory=SheetSettings, description="the figures sheet's ministry title")
    admin_alerts: AdminAlertSettings = Field(default_factory=AdminAlertSettings, description="admins' security alerts")
    # 1.1: rating links (POST /api/v1/visits, /r/{token}): the address visitors' phones reach this app at.
    public_url: Annotated[str, Field(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")] | None = Field(
        default=None, description="base of rating links sent by SMS, e.g. https://rate.example.sa"
    )
    link_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 48
    # 1.1: the tablet fleet (issue 13): the address tablets reach this app at over HTTPS (release downloads,
    # enrolment codes), this app's own TLS certificate when it serves HTTPS itself (no reverse proxy),
    # and the public key every release must be signed for (`taqyeem release keygen` prints it).
    tablet_url: Annotated[str, Field(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")] | None = Field(
        default=None, description="base address tablets reach this app at, e.g. https://taqyeem.centre.lan"
    )
    https_cert: Path | None = Field(default=None, description="PEM certificate chain: serve HTTPS directly")
    https_key: Path | None = Field(default=None, description="its private key (a secret: chmod 600)")
    release_public_key: str | None = Field(default=None, description="Ed25519 public key (base64) of releases")
    themes_dir: Path | None = Field(
        default=None, description="folder of the comment themes' word lists (one TOML each); default the shipped"
    )
    releases_dir: Path | None = Field(
        default=None, description="folder of release wheels; default <db folder>/releases"
    )

    @field_validator("broker")
    @classmethod
    def _broker(cls, value: str) -> str:
        parse_broker_url(value)
        return value

    @field_validator("http")
    @classmethod
    def _http(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be HOST:PORT, e.g. 127.0.0.1:8080")
        return value

    @model_validator(mode="after")
    def _calendar_settings_work(self) -> CollectorSettings:
        from collector.reports.maths import Calendar, ReportError  # the pages' calendar: checked at start, not later

        try:
            Calendar.from_settings(self.timezone, self.open_hours, self.open_weekdays)
        except ReportError as exc:
            raise ValueError(str(exc)) from None
        return self

    @field_validator("release_public_key")
    @classmethod
    def _release_key(cls, value: str | None) -> str | None:
        if value is not None:
            load_public_key(value)
        return value

    @model_validator(mode="after")
    def _https_pair(self) -> CollectorSettings:
        if (self.https_cert is None) != (self.https_key is None):
            raise ValueError("https_cert and https_key go together: give both to serve HTTPS, or neither")
        for key in ("https_cert", "https_key"):
            path = getattr(self, key)
            if path is not None and not path.is_file():
                raise ValueError(f"{key}: {path} does not exist")
        return self

    def broker_address(self) -> BrokerAddress:
        address = parse_broker_url(self.broker)
        password = address.password
        if self.broker_password_file is not None:
            try:
                password = self.broker_password_file.read_text().strip()
            except OSError as exc:
                raise SettingsError(
                    f"broker_password_file {self.broker_password_file}: {exc.strerror}; "
                    "check the path, or run as a user who may read it"
                ) from None
        return BrokerAddress(address.host, address.port, address.tls, address.username, password)

    def releases_path(self) -> Path:
        """Where release wheels are kept: ``releases_dir``, else a ``releases`` folder beside the database."""
        return self.releases_dir if self.releases_dir is not None else self.db.parent / "releases"

    def http_host_port(self) -> tuple[str, int]:
        host, _, port = self.http.rpartition(":")
        return host.strip("[]"), int(port)


def read_toml_file(path: Path) -> dict[str, Any]:
    """A config file's keys, or a SettingsError that names the file and the trouble."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"config file {path} does not exist") from None
    except PermissionError:
        raise SettingsError(f"config file {path} is not readable by this user; run as its owner or root") from None
    except UnicodeDecodeError:
        raise SettingsError(f"config file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None


def load_collector_settings(config_file: Path | None = None, **overrides: Any) -> CollectorSettings:
    """Merge the TOML file, ``TAQYEEM_<KEY>`` variables and explicit options (later wins)."""
    values: dict[str, Any] = {}
    if config_file is not None:
        values.update(read_toml_file(config_file))
    for name in CollectorSettings.model_fields:
        env = os.environ.get(f"TAQYEEM_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    for required in ("broker", "db"):
        if required not in values:
            raise SettingsError(
                f"no {required} given: pass --{required}, set TAQYEEM_{required.upper()} or put {required} = ... "
                "in the --config file"
            )
    try:
        return CollectorSettings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(f"collector settings: {describe_validation_error(exc)}") from None
