"""docs/protocol.md and the code form of the contract (shared/) must agree.

Every JSON example marked ``<!-- model: Name -->`` must parse with that model,
every message model needs an example and a field table, and every topic builder
must appear in the topic table.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from shared import contract, topics

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
EXAMPLE = re.compile(r"<!--\s*(model|invalid):\s*(\w+)\s*-->\s*\n```json\n(.*?)\n```", re.DOTALL)
PLACEHOLDERS = {"device_id": "{device_id}", "site_id": "{site_id}"}


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _examples(kind: str) -> list[tuple[str, str]]:
    return [(name, body) for k, name, body in EXAMPLE.findall(_doc()) if k == kind]


def _params(kind: str) -> list[object]:
    return [pytest.param(name, body, id=f"{name}-{i}") for i, (name, body) in enumerate(_examples(kind))]


def _message_models() -> dict[str, type[BaseModel]]:
    """Every model in shared.contract that travels on its own: it carries ``v``."""
    return {
        name: obj
        for name, obj in vars(contract).items()
        if inspect.isclass(obj) and issubclass(obj, BaseModel) and not name.startswith("_") and "v" in obj.model_fields
    }


def _section(heading: str) -> str:
    """The text under ``## heading`` or ``### heading`` up to the next heading of that level or higher."""
    match = re.search(rf"^(#{{2,3}}) {re.escape(heading)}\s*$", _doc(), re.MULTILINE)
    assert match, f"docs/protocol.md has no section '{heading}'"
    level = len(match.group(1))
    rest = _doc()[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def _topic_table_topics() -> set[str]:
    rows = [line for line in _section("Topics").splitlines() if line.startswith("| `")]
    return {re.match(r"\| `([^`]+)`", row).group(1) for row in rows}  # type: ignore[union-attr]


def _topic_builders() -> dict[str, str]:
    """Each public one-argument builder in shared.topics, called with a placeholder."""
    built = {}
    for name, func in vars(topics).items():
        if not inspect.isfunction(func) or func.__module__ != topics.__name__ or name.startswith("_"):
            continue
        params = list(inspect.signature(func).parameters)
        if len(params) == 1 and params[0] in PLACEHOLDERS:
            built[name] = func(PLACEHOLDERS[params[0]])
    for kind in topics.DEVICE_TOPIC_KINDS:
        built[f"device_topic({kind!r})"] = topics.device_topic(PLACEHOLDERS["device_id"], kind)
    return built


def test_the_doc_has_examples() -> None:
    assert len(_examples("model")) >= len(_message_models())


def test_known_message_models() -> None:
    assert {"Rating", "Ack", "Status", "DeviceConfig", "Invite", "Alert"} <= set(_message_models())


@pytest.mark.parametrize("model_name", sorted(_message_models()))
def test_every_message_has_an_example(model_name: str) -> None:
    names = [name for name, _ in _examples("model")]
    assert model_name in names, f"docs/protocol.md has no <!-- model: {model_name} --> JSON example"


@pytest.mark.parametrize(("model_name", "body"), _params("model"))
def test_example_parses_with_its_model(model_name: str, body: str) -> None:
    model = getattr(contract, model_name, None)
    assert model in _message_models().values(), f"<!-- model: {model_name} --> names no message model"
    data = json.loads(body)
    message = contract.parse_message(model, body)
    # Nothing in an example is silently dropped as an unknown field.
    assert set(data) <= set(model.model_fields), f"{model_name} example has fields the model does not know"
    assert message.v == contract.PROTOCOL_VERSION


@pytest.mark.parametrize(("model_name", "body"), _params("invalid"))
def test_invalid_example_is_refused(model_name: str, body: str) -> None:
    with pytest.raises(contract.ContractError):
        contract.parse_message(getattr(contract, model_name), body)


@pytest.mark.parametrize("model_name", sorted(_message_models()))
def test_every_field_is_in_the_field_table(model_name: str) -> None:
    section = _section(model_name)
    model = _message_models()[model_name]
    missing = [field for field in model.model_fields if f"| `{field}` |" not in section]
    assert not missing, f"the {model_name} field table in docs/protocol.md lacks {missing}"


@pytest.mark.parametrize(("builder", "topic"), sorted(_topic_builders().items()))
def test_every_topic_builder_is_in_the_topic_table(builder: str, topic: str) -> None:
    assert topic in _topic_table_topics(), f"topics.{builder} builds {topic}, missing from the topic table"


def test_topic_table_has_no_topic_without_a_builder() -> None:
    assert _topic_table_topics() <= set(_topic_builders().values())


def test_topic_table_names_a_model_for_each_topic() -> None:
    rows = [line for line in _section("Topics").splitlines() if line.startswith("| `")]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 5, row
        assert cells[3] == str(topics.QOS), row
        assert any(f"[{name}]" in cells[4] for name in _message_models()), row


def test_collector_wildcards_are_documented() -> None:
    for topic_filter in (topics.ALL_RATINGS, topics.ALL_STATUS):
        assert f"`{topic_filter}`" in _section("Topics")


def test_every_example_fits_the_payload_limit() -> None:
    for _, body in _examples("model"):
        assert len(body.encode()) <= contract.MAX_PAYLOAD_BYTES
