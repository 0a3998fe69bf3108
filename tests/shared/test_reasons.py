"""Reason labels: a desk's own labels first, then the contract's defaults, else the code itself."""

from __future__ import annotations

from shared.contract import DEFAULT_REASONS, ReasonLabel
from shared.reasons import reason_label, reason_labels

DESK = [
    ReasonLabel(code="waiting_time", ar="طول الانتظار", en="Long wait"),
    ReasonLabel(code="parking", ar="المواقف", en="Parking"),
]


def test_without_a_desk_config_the_contracts_defaults_name_every_default_code() -> None:
    for reason in DEFAULT_REASONS:
        assert reason_label(reason.code, "ar") == reason.ar
        assert reason_label(reason.code, "en") == reason.en


def test_a_desks_own_labels_win_and_the_rest_fall_back_to_the_defaults() -> None:
    assert reason_labels(["waiting_time", "parking", "staff_courtesy"], "en", DESK) == [
        "Long wait",
        "Parking",
        "Staff courtesy",
    ]
    assert reason_label("parking", "ar", DESK) == "المواقف"


def test_a_config_as_stored_json_works_like_the_models() -> None:
    stored = [reason.model_dump() for reason in DESK]
    assert reason_label("waiting_time", "ar", stored) == "طول الانتظار"


def test_an_unknown_code_is_shown_as_itself_never_hidden() -> None:
    assert reason_label("new_code", "en", DESK) == "new_code"
