"""Message models of contract version 1, with the rules of docs/protocol.md.

Every model accepts and ignores fields it does not know (the contract may grow
new optional fields) and rejects any breach of a rule with a ``ContractError``
whose text a person can act on: ``score: must be 1..5``.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from shared.clock import parse_time
from shared.languages import DEFAULT_LANGUAGES, Language, Languages
from shared.languages import MAX_LANGUAGES as MAX_LANGUAGES
from shared.languages import SHIPPED_LANGUAGES as SHIPPED_LANGUAGES
from shared.message_checks import MAX_NESTING as MAX_NESTING
from shared.message_checks import MAX_SEQ as MAX_SEQ
from shared.message_checks import describe_validation_error as describe_validation_error
from shared.message_checks import nested_too_deeply as nested_too_deeply
from shared.phones import CALLBACK_PHONE as CALLBACK_PHONE
from shared.releases import Release, UpdateReport
from shared.survey import DEFAULT_SURVEY as DEFAULT_SURVEY
from shared.survey import Survey as Survey
from shared.survey import SurveyOption as SurveyOption
from shared.survey import SurveyQuestion as SurveyQuestion

PROTOCOL_VERSION = 1
MAX_PAYLOAD_BYTES = 4096  # ratings (docs/protocol.md)
MAX_OTHER_PAYLOAD_BYTES = 256 * 1024  # acks, configs and the rest: bounded, but an Ack may name many ids
MAX_REASONS = 8
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
REASON_PATTERN = r"^[a-z0-9_]{1,32}$"
DEFAULT_NEGATIVE_MAX_SCORE = 2

DeviceId = Annotated[str, Field(pattern=NAME_PATTERN)]
SiteId = Annotated[str, Field(pattern=NAME_PATTERN)]
DeskId = Annotated[str, Field(pattern=NAME_PATTERN)]
EmployeeId = Annotated[str, Field(min_length=1, max_length=64)]
ReasonCode = Annotated[str, Field(pattern=REASON_PATTERN)]
Score = Annotated[StrictInt, Field(ge=1, le=5)]
PinHash = Annotated[str, Field(min_length=1, max_length=256)]


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class ContractError(ValueError):
    """A message that breaks the contract; ``str()`` is the reason to store."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=False)

    v: Literal[1] = 1

    @field_validator("v", mode="before")
    @classmethod
    def _exactly_the_integer(cls, value: object) -> object:
        if type(value) is not int:  # true and 1.0 equal 1, but are not the version number
            raise ValueError(f"unsupported version {value!r}; Taqyeem speaks v1")
        return value

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=False).encode()


def _check_time(value: str) -> str:
    parse_time(value)
    return value


def _check_uuid(value: str) -> str:
    # Only the canonical spelling: the Ack must name the id exactly as the device sent it.
    if not _CANONICAL_UUID.fullmatch(value):
        raise ValueError("must be a lowercase UUID like 8a6e0f9c-7d3b-4c6a-9a43-2f1b7f3c9e10")
    return value


Channel = Literal["desk", "call", "link"]
QuestionId = Annotated[str, Field(pattern=REASON_PATTERN)]
MAX_ANSWERS = 10  # also the most questions a survey may hold (shared/survey.py)
_OPTION_CODE = re.compile(REASON_PATTERN)
MAX_COMMENT = 500


class Rating(_Message):
    id: str
    seq: Annotated[StrictInt, Field(ge=1, le=MAX_SEQ)]
    device_id: DeviceId
    employee_id: EmployeeId | None = None
    score: Score
    reasons: Annotated[list[ReasonCode], Field(max_length=MAX_REASONS)] = []
    visit_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    lang: Language = "ar"
    created_at: str
    # 1.1, all optional: how the visitor was reached, the periodic survey's answers, free text.
    channel: Channel = "desk"
    # A factory, not ``= {}``: pydantic deep-copies a mutable default on every rating parsed (4 us of ~13).
    answers: Annotated[dict[QuestionId, str | int], Field(max_length=MAX_ANSWERS)] = Field(default_factory=dict)
    comment: Annotated[str, Field(max_length=MAX_COMMENT)] | None = None
    callback_phone: Annotated[str, Field(pattern=CALLBACK_PHONE)] | None = None

    @field_validator("answers", mode="before")
    @classmethod
    def _answers(cls, value: object) -> object:
        """A yes/no or choice answer is an option code; a scale answer is an integer 1..5 (never true)."""
        if not isinstance(value, dict):
            return value
        for question, answer in value.items():
            if type(answer) is int:
                if not 1 <= answer <= 5:
                    raise ValueError(f"{question}: a scale answer must be 1..5")
            elif not (isinstance(answer, str) and _OPTION_CODE.fullmatch(answer)):
                raise ValueError(f"{question}: must be an option code (a-z, 0-9, _; 1 to 32) or a scale answer 1..5")
        return value

    @field_validator("id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        return _check_uuid(value)

    @field_validator("created_at")
    @classmethod
    def _time(cls, value: str) -> str:
        return _check_time(value)

    @field_validator("reasons")
    @classmethod
    def _unique_reasons(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("must not repeat a reason code")
        return value


class Rejection(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str | None
    error: str


class Ack(_Message):
    ids: list[str] = []
    rejected: list[Rejection] = []


class Status(_Message):
    state: Literal["online", "offline", "stopped"]
    app_version: str | None = None
    outbox: Annotated[StrictInt, Field(ge=0)] | None = None
    employee_id: EmployeeId | None = None
    last_seq: Annotated[StrictInt, Field(ge=0, le=MAX_SEQ)] | None = None
    at: str | None = None
    # Optional (1.1): when the device last replaced a damaged outbox with a fresh one.
    outbox_replaced_at: str | None = None
    # Optional (1.1): the fleet view's health figures, and where the tablet is with its latest release.
    free_disk_mb: Annotated[StrictInt, Field(ge=0)] | None = None  # free space where the outbox lives
    temperature_c: Annotated[float, Field(ge=-60, le=200)] | None = None  # /sys/class/thermal, when present
    update: UpdateReport | None = None

    @field_validator("at", "outbox_replaced_at")
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        return None if value is None else _check_time(value)


class ReasonLabel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    code: ReasonCode
    ar: Annotated[str, Field(min_length=1, max_length=80)]
    en: Annotated[str, Field(min_length=1, max_length=80)]


DEFAULT_REASONS: tuple[ReasonLabel, ...] = (
    ReasonLabel(code="waiting_time", ar="وقت الانتظار", en="Waiting time"),
    ReasonLabel(code="staff_courtesy", ar="تعامل الموظف", en="Staff courtesy"),
    ReasonLabel(code="not_resolved", ar="لم يُنجز طلبي", en="Request not resolved"),
    ReasonLabel(code="procedure", ar="الإجراءات معقدة", en="Complicated procedure"),
    ReasonLabel(code="information", ar="المعلومات غير واضحة", en="Unclear information"),
    ReasonLabel(code="facilities", ar="المكان والمرافق", en="Place and facilities"),
)


class StaffMember(BaseModel):
    """An employee who may sign in at the desk (1.1): names for the roster, a PIN checked offline.

    ``pin_hash`` is a salted slow hash (``shared/pins.py``); None while the employee
    has not set a PIN yet: they are listed, and told to set one on the web.
    ``pin_withdrawn`` (1.2): their PIN was withdrawn because a tablet that held its hash
    was lost (``pin_hash`` is then None); the kiosk tells them to set a new one.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)
    employee_id: EmployeeId
    name_ar: Annotated[str, Field(min_length=1, max_length=80)]
    name_en: Annotated[str, Field(min_length=1, max_length=80)]
    pin_hash: PinHash | None = None
    pin_withdrawn: StrictBool = False


MAX_STAFF = 500
CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class DeviceConfig(_Message):
    site_id: SiteId
    desk_id: DeskId
    section: Annotated[str, Field(max_length=64)] | None = None
    desk_name_ar: Annotated[str, Field(min_length=1, max_length=80)]
    desk_name_en: Annotated[str, Field(min_length=1, max_length=80)]
    default_lang: Language = "ar"
    cooldown_s: Annotated[StrictInt, Field(ge=0, le=3600)] = 10
    negative_max_score: Annotated[StrictInt, Field(ge=1, le=4)] = DEFAULT_NEGATIVE_MAX_SCORE
    reasons: Annotated[list[ReasonLabel], Field(max_length=16)] = list(DEFAULT_REASONS)
    mode: Literal["open", "invited"] = "open"
    # 1.1: who may sign in here, and when a sign-in ends by itself.
    staff: Annotated[list[StaffMember], Field(max_length=MAX_STAFF)] = []
    # Minutes without a rating before the employee is signed out; 0: never.
    sign_out_idle_min: Annotated[StrictInt, Field(ge=0, le=24 * 60)] = 30
    # The desk's closing time, local time of the tablet (HH:MM); None: no closing sign-out.
    closes_at: Annotated[str, Field(pattern=CLOCK_TIME)] | None = None
    # 1.1: the periodic questionnaire; a config without one asks nothing.
    survey: Survey = Survey(every_n=0)
    # 1.1: the languages the tablet offers its visitors, in the order its language list shows them.
    languages: Languages = list(DEFAULT_LANGUAGES)
    # 1.1: the loudness of the kiosk's spoken prompts, 0 (silent) to 100.
    volume: Annotated[StrictInt, Field(ge=0, le=100)] = 80
    # 1.1: the program version this tablet should run (shared/releases.py); None: keep the running one.
    release: Release | None = None

    @model_validator(mode="after")
    def _default_is_offered(self) -> DeviceConfig:
        if self.default_lang not in self.languages:
            raise ValueError(f"default_lang: {self.default_lang!r} is not one of languages {self.languages}")
        return self

    def staff_member(self, employee_id: str) -> StaffMember | None:
        return next((m for m in self.staff if m.employee_id == employee_id), None)


def is_negative(score: int, config: DeviceConfig | None) -> bool:
    """Whether a score is negative: at most the desk's ``negative_max_score``.

    The one rule for both sides: a negative score asks for reasons on the kiosk and
    opens a review on the collector. A device without a config uses the default.
    """
    threshold = config.negative_max_score if config is not None else DEFAULT_NEGATIVE_MAX_SCORE
    return score <= threshold


class Invite(_Message):
    visit_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    employee_id: EmployeeId | None = None
    window_s: Annotated[StrictInt, Field(ge=1, le=3600)] = 60


PresenceEvent = Literal["sign_in", "sign_out"]
PresenceCause = Literal["pin", "manual", "idle", "closing", "replaced", "restart"]


class Presence(_Message):
    """An employee signing in or out at a desk (1.1); travels like a rating, through the outbox."""

    id: str
    device_id: DeviceId
    employee_id: EmployeeId
    event: PresenceEvent
    cause: PresenceCause
    at: str

    @field_validator("id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        return _check_uuid(value)

    @field_validator("at")
    @classmethod
    def _time(cls, value: str) -> str:
        return _check_time(value)


def parse_presence(topic_device_id: str, payload: bytes) -> Presence:
    """Validate a Presence received on ``devices/{topic_device_id}/presence`` (the topic is trusted)."""
    presence = parse_message(Presence, payload)
    if presence.device_id != topic_device_id:
        raise ContractError(
            f"device_id: payload says {presence.device_id!r} but it was published by {topic_device_id!r}"
        )
    return presence


class Alert(_Message):
    kind: Literal["negative", "trend"] = "negative"  # 1.2: a trend alert names its rule, not a rating
    rating_id: str | None = None
    site_id: SiteId | None
    desk_id: DeskId | None
    employee_id: EmployeeId | None = None
    score: Score | None = None
    reasons: Annotated[list[ReasonCode], Field(max_length=MAX_REASONS)] = []
    created_at: str
    rule: Literal["employee_negatives", "desk_mean_drop", "site_share_negative"] | None = None
    window: Annotated[str, Field(pattern=r"^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?)?$", max_length=20)] | None = None
    value: float | None = None
    threshold: float | None = None

    @field_validator("created_at")
    @classmethod
    def _time(cls, value: str) -> str:
        return _check_time(value)

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Alert:
        needs = ("rating_id", "score") if self.kind == "negative" else ("rule", "window", "value", "threshold")
        if missing := [name for name in needs if getattr(self, name) is None]:
            raise ValueError(f"a {self.kind} alert names its {' and '.join(missing)}")
        return self


M = TypeVar("M", bound=BaseModel)


def parse_message(model: type[M], payload: bytes | str | dict[str, Any]) -> M:
    """Decode and validate one message, or raise ContractError with the reason."""
    if isinstance(payload, dict):
        data: Any = payload
    else:
        raw = payload.encode() if isinstance(payload, str) else payload
        limit = MAX_PAYLOAD_BYTES if model in (Rating, Presence) else MAX_OTHER_PAYLOAD_BYTES
        if len(raw) > limit:
            raise ContractError(f"payload is {len(raw)} bytes; the limit is {limit}")
        if nested_too_deeply(raw):
            raise ContractError("payload is not JSON: nested too deeply")
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ContractError("payload is not UTF-8") from None
        except RecursionError:
            raise ContractError("payload is not JSON: nested too deeply") from None
        except json.JSONDecodeError as exc:
            raise ContractError(f"payload is not JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(data, dict):
        raise ContractError("payload must be a JSON object")
    version = data.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise ContractError(f"v: unsupported version {version!r}; Taqyeem speaks v1")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContractError(describe_validation_error(exc)) from None


def parse_rating(topic_device_id: str, payload: bytes) -> Rating:
    """Validate a rating received on ``devices/{topic_device_id}/ratings``.

    The topic is what the broker authenticated, so it must match the payload.
    """
    rating = _parse_rating_fast(payload) or parse_message(Rating, payload)
    if rating.device_id != topic_device_id:
        raise ContractError(f"device_id: payload says {rating.device_id!r} but it was published by {topic_device_id!r}")
    return rating


def _parse_rating_fast(payload: bytes) -> Rating | None:
    """The common case in one pass of pydantic's JSON parser; None sends it the slow way.

    The slow way (``parse_message``) gives the precise error for anything refused.
    """
    if len(payload) > MAX_PAYLOAD_BYTES:
        return None
    try:
        rating = Rating.model_validate_json(payload)
    except (ValidationError, ValueError, RecursionError):
        return None
    return rating


def rating_id_of(payload: bytes) -> str | None:
    """Best-effort id of a rejected payload, so its Ack can name it."""
    if nested_too_deeply(payload):
        return None
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("id"), str) and len(data["id"]) <= 64:
        return str(data["id"])
    return None
