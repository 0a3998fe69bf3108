"""Checks on raw messages and their validation errors (shared/message_checks.py), shared by every parser."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.message_checks import MAX_NESTING, MAX_SEQ, describe_validation_error, nested_too_deeply


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    score: Annotated[int, Field(ge=1, le=5)] = 3
    seq: Annotated[int, Field(ge=1, le=MAX_SEQ)] = 1
    count: Annotated[int, Field(ge=0)] = 0
    sites: list[str] = []

    @model_validator(mode="after")
    def _whole(self) -> Message:
        if self.count > 100:
            raise ValueError("count and sites: at most 100 together")
        return self


def reason(data: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as broken:
        Message.model_validate(data)
    return describe_validation_error(broken.value)


def test_a_score_out_of_range_reads_as_the_scale() -> None:
    assert reason({"score": 0}) == "score: must be 1..5"
    assert reason({"score": 6}) == "score: must be 1..5"


def test_a_seq_out_of_range_names_its_largest_value() -> None:
    assert reason({"seq": 0}) == f"seq: must be 1..{MAX_SEQ} (2^63-1)"


def test_an_unknown_key_is_named_with_what_to_do() -> None:
    assert reason({"scroe": 4}) == "scroe: unknown key; check its spelling or remove it"


def test_other_rules_keep_pydantic_s_message_with_the_place_of_the_value() -> None:
    assert reason({"count": -1}) == "count: Input should be greater than or equal to 0"
    assert reason({"sites": ["a", 7]}) == "sites.1: Input should be a valid string"


def test_a_rule_about_the_whole_message_is_its_own_text() -> None:
    assert reason({"count": 101}) == "count and sites: at most 100 together"


def test_every_broken_rule_is_named_in_one_line() -> None:
    assert (
        reason({"score": 9, "extra": 1}) == "score: must be 1..5; extra: unknown key; check its spelling or remove it"
    )


@pytest.mark.parametrize(
    ("raw", "deep"),
    [
        (b"[" * MAX_NESTING + b"]" * MAX_NESTING, False),
        (b"[" * (MAX_NESTING + 1) + b"]" * (MAX_NESTING + 1), True),
        (b'{"a": "' + b"[" * 500 + b'"}', False),  # brackets inside a string do not nest
        (b'{"a": "\\"' + b"{" * 40 + b'"}', False),  # nor after an escaped quote
        (b"[]" * 500, False),  # many brackets side by side
    ],
    ids=["at-the-limit", "past-the-limit", "in-a-string", "after-an-escaped-quote", "side-by-side"],
)
def test_only_brackets_outside_strings_nesting_past_the_limit_are_too_deep(raw: bytes, deep: bool) -> None:
    assert nested_too_deeply(raw) is deep


@given(
    st.recursive(
        st.none() | st.integers() | st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)
    )
)
def test_any_json_is_too_deep_exactly_when_it_nests_past_the_limit(value: object) -> None:
    def depth(v: object) -> int:
        if isinstance(v, list):
            return 1 + max((depth(x) for x in v), default=0)
        if isinstance(v, dict):
            return 1 + max((depth(x) for x in v.values()), default=0)
        return 0

    assert nested_too_deeply(json.dumps(value).encode()) is (depth(value) > MAX_NESTING)
