"""One-time enrolment codes (collector/fleet/enrol_codes.py): how a code looks, is typed, derives its keys,
seals a tablet's bundle and says its state, without a server or a store.

Redeeming a code at ``POST /api/v1/enrol`` is tested over real HTTP in tests/collector/api/test_enrol.py.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collector.fleet.enrol_codes import (
    ALPHABET,
    CodeError,
    Keys,
    WrongCodes,
    derive,
    new_code,
    normalise,
    payload_of,
    seal,
    shown,
    state_of,
    unseal,
)

CODE = "7KQ2M9XD4HPA"
RAW_CODES = st.text(alphabet=ALPHABET, min_size=12, max_size=12)


@pytest.fixture(scope="module")
def keys():
    return derive(CODE)


def test_a_new_code_is_twelve_symbols_without_look_alikes_in_groups_of_four() -> None:
    code = new_code()
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){2}", code), code
    assert not set(code) & set("01OILU")


def test_two_new_codes_differ() -> None:
    assert new_code() != new_code()


@given(RAW_CODES)
def test_a_code_typed_in_any_case_with_spaces_or_dashes_is_the_code_shown(raw: str) -> None:
    assert normalise(shown(raw)) == raw
    assert normalise(" ".join(raw.lower())) == raw


@pytest.mark.parametrize("typed", ["7KQ2-M9XD-4HP", "7KQ2-M9XD-4HPA-2", ""])
def test_a_code_of_the_wrong_length_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(CodeError, match="12 letters and digits, like 7KQ2-M9XD-4HPA"):
        normalise(typed)


def test_a_code_with_look_alike_letters_is_refused_naming_them() -> None:
    with pytest.raises(CodeError, match="has no 0, O: check the code printed"):
        normalise("7KQ2-M9XD-4H0O")


def test_a_code_derives_the_same_keys_every_time_and_another_code_other_keys(keys) -> None:
    assert derive(CODE) == keys
    other = derive("7KQ2M9XD4HPB")
    assert other.lookup != keys.lookup and other.secret != keys.secret
    assert len(keys.secret) == 32 and re.fullmatch(r"[0-9a-f]{64}", keys.lookup)


def test_a_sealed_bundle_opens_with_its_code_only(keys) -> None:
    payload = payload_of("dev-a1", "mqtts://broker:8883", "p4ss", "-----BEGIN CERTIFICATE-----", None, None)
    sealed = seal(keys, payload)
    assert unseal(keys, sealed) == payload
    assert b"p4ss" not in sealed
    with pytest.raises(ValueError, match="does not open with this code"):
        unseal(derive("7KQ2M9XD4HPB"), sealed)


def test_a_sealed_bundle_moved_to_another_row_does_not_open(keys) -> None:
    moved = Keys(lookup="0" * 64, secret=keys.secret)
    with pytest.raises(ValueError, match="does not open"):
        unseal(moved, seal(keys, {"device_id": "dev-a1"}))


def test_two_seals_of_one_bundle_differ_by_their_nonce(keys) -> None:
    assert seal(keys, {"device_id": "dev-a1"}) != seal(keys, {"device_id": "dev-a1"})


def test_the_bundle_carries_the_release_key_and_the_desk_only_when_there_are_some() -> None:
    bare = payload_of("dev-a1", "mqtts://b", "pw", "CA", None, None)
    assert set(bare) == {"device_id", "broker", "password", "ca"}
    full = payload_of("dev-a1", "mqtts://b", "pw", "CA", "KEY", {"name_en": "Desk 1"})
    assert (full["release_key"], full["desk"]) == ("KEY", {"name_en": "Desk 1"})


@pytest.mark.parametrize(
    ("used", "revoked", "expires", "state"),
    [
        (None, None, "2026-11-29T09:00:00.000Z", "pending"),
        (None, None, "2026-11-28T09:00:00.000Z", "expired"),  # expiring at this very moment
        ("2026-11-28T08:00:00.000Z", None, "2026-11-28T07:00:00.000Z", "used"),  # used comes first
        (None, "2026-11-28T08:00:00.000Z", "2026-11-29T09:00:00.000Z", "revoked"),
    ],
)
def test_a_code_s_state_is_used_then_revoked_then_expired_else_pending(
    used: str | None, revoked: str | None, expires: str, state: str
) -> None:
    row = {"used_at": used, "revoked_at": revoked, "expires_at": expires}
    assert state_of(row, "2026-11-28T09:00:00.000Z") == state


@settings(max_examples=20)
@given(st.integers(min_value=1, max_value=8))
def test_an_address_is_blocked_after_its_number_of_wrong_codes_within_the_window(failures: int) -> None:
    wrong = WrongCodes(failures=failures, window_s=60)
    for n in range(failures):
        assert not wrong.blocked("10.0.0.1", float(n))
        wrong.note("10.0.0.1", float(n))
    assert wrong.blocked("10.0.0.1", float(failures)) and wrong.failures == failures
    assert not wrong.blocked("10.0.0.1", 60.0 + failures)  # the window has passed
