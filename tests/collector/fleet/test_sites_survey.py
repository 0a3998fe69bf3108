"""A site's periodic survey in sites.toml: strict keys, the shipped default, and republishing (fake publisher)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.sites import apply_sites, desk_config, load_sites_file
from collector.store import Store
from shared.contract import DEFAULT_SURVEY, DeviceConfig

NOW = "2026-11-28T09:00:00.000Z"

SITE = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
"""

SURVEY = """
  [sites.survey]
  every_n = 3

    [[sites.survey.questions]]
    id = "obstacles"
    kind = "yesno"
    text_ar = "هل واجهت أي عائق في تقديم طلبك؟"
    text_en = "Did you meet any obstacle in submitting your request?"

    [[sites.survey.questions]]
    id = "applicant"
    kind = "choice"
    text_ar = "أنت:"
    text_en = "You are:"
      [[sites.survey.questions.options]]
      code = "citizen"
      label_ar = "مواطن"
      label_en = "A citizen"
      [[sites.survey.questions.options]]
      code = "resident"
      label_ar = "مقيم"
      label_en = "A resident"

    [[sites.survey.questions]]
    id = "clarity"
    kind = "scale"
    text_ar = "ما مدى وضوح الإجراءات؟"
    text_en = "How clear was the procedure?"
"""


class FakePublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[str, DeviceConfig | None]] = []

    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        self.sent.append((device_id, config))


def _config(tmp_path: Path, text: str) -> DeviceConfig:
    path = tmp_path / "sites.toml"
    path.write_text(text)
    file = load_sites_file(path)
    return desk_config(file, file.sites[0], file.sites[0].desks[0])


def test_a_site_without_a_survey_asks_the_shipped_one_every_fifth_visitor(tmp_path: Path) -> None:
    config = _config(tmp_path, SITE)
    assert config.survey == DEFAULT_SURVEY
    assert config.survey.every_n == 5
    assert [q.id for q in config.survey.questions] == ["obstacles", "applicant"]


def test_a_sites_own_survey_reaches_each_desk_config(tmp_path: Path) -> None:
    survey = _config(tmp_path, SITE + SURVEY).survey
    assert survey.every_n == 3
    obstacles, applicant, clarity = survey.questions
    assert [(o.code, o.label_ar, o.label_en) for o in obstacles.options] == [("yes", "نعم", "Yes"), ("no", "لا", "No")]
    assert [o.code for o in applicant.options] == ["citizen", "resident"]
    assert clarity.kind == "scale" and clarity.options == []


def test_every_n_zero_turns_the_survey_off_and_every_n_alone_keeps_the_shipped_questions(tmp_path: Path) -> None:
    assert _config(tmp_path, SITE + "  [sites.survey]\n  every_n = 0\n").survey.every_n == 0
    survey = _config(tmp_path, SITE + "  [sites.survey]\n  every_n = 2\n").survey
    assert survey.every_n == 2 and survey.questions == DEFAULT_SURVEY.questions


def test_one_scale_question_marked_overall_travels_marked_and_the_others_as_in_1_1(tmp_path: Path) -> None:
    marked = SURVEY.replace('kind = "scale"\n', 'kind = "scale"\n    overall = true\n')
    config = _config(tmp_path, SITE + marked)
    assert [(q.id, q.overall) for q in config.survey.questions] == [
        ("obstacles", False), ("applicant", False), ("clarity", True)
    ]  # fmt: skip
    sent = json.loads(config.model_dump_json())["survey"]["questions"]
    assert [q.get("overall") for q in sent] == [None, None, True]  # an unmarked question has no such key
    assert DeviceConfig.model_validate_json(config.model_dump_json()) == config
    assert "overall" not in _config(tmp_path, SITE).model_dump_json()  # the shipped survey: unchanged bytes


def _question(kind: str, extra: str = "", qid: str = "q1") -> str:
    head = f'    [[sites.survey.questions]]\n    id = "{qid}"\n    kind = "{kind}"\n'
    return head + f'    text_ar = "س"\n    text_en = "Q"\n{extra}'


def _option(code: str) -> str:
    head = f'      [[sites.survey.questions.options]]\n      code = "{code}"\n'
    return head + '      label_ar = "خ"\n      label_en = "O"\n'


@pytest.mark.parametrize(
    ("survey", "error"),
    [
        ("  [sites.survey]\n  evry_n = 3\n", "sites.0.survey.evry_n: unknown key"),
        ("  [sites.survey]\n  every_n = -1\n", "sites.0.survey.every_n"),
        ("  [sites.survey]\n" + _question("choice", _option("a")), "needs 2 to 12, has 1"),
        ("  [sites.survey]\n" + _question("choice", "".join(_option(f"o{i}") for i in range(13))), "has 13"),
        ("  [sites.survey]\n" + _question("choice", _option("a") + _option("a")), "code 'a' is defined twice"),
        ("  [sites.survey]\n" + _question("choice", _option("A b") + _option("c")), "options.0.code"),
        ("  [sites.survey]\n" + _question("yesno", _option("a") + _option("b")), "only a choice question lists"),
        ("  [sites.survey]\n" + _question("scale") + _question("yesno"), "id 'q1' is defined twice"),
        ("  [sites.survey]\n" + _question("scale", qid="Bad id"), "sites.0.survey.questions.0.id"),
        ("  [sites.survey]\n" + _question("stars"), "sites.0.survey.questions.0.kind"),
        ("  [sites.survey]\n" + _question("scale", '    txt = "x"\n'), "questions.0.txt: unknown key"),
        ("  [sites.survey]\n" + _question("yesno", "    overall = true\n"), "only a scale question (1 to 5) can"),
        ("  [sites.survey]\n" + _question("scale", "    overall = 1\n"), "questions.0.overall"),
        (
            "  [sites.survey]\n" + "".join(_question("scale", "    overall = true\n", q) for q in ("q1", "q2")),
            "overall = true on q1 and q2; mark one question only",
        ),
    ],
)
def test_a_bad_survey_is_a_one_line_error_naming_the_key(tmp_path: Path, survey: str, error: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(SITE + survey)
    result = CliRunner().invoke(cli, ["sites", "apply", str(path), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert error in result.stderr


def test_a_changed_survey_republishes_its_desks_once(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(SITE)
    store = Store(tmp_path / "collector.db")
    apply_sites(store, load_sites_file(path), NOW)
    config = store.sites.desk_config("riyadh-hq", "desk-01")
    assert config is not None and config.survey == DEFAULT_SURVEY
    store.devices.provision("riyadh-hq-desk-01-aaaaaa", config, "it", NOW)
    publisher = FakePublisher()
    assert not apply_sites(store, load_sites_file(path), NOW, publisher).plan.changed

    path.write_text(SITE + SURVEY)
    applied = apply_sites(store, load_sites_file(path), NOW, publisher)

    assert applied.plan.updated == ["desk riyadh-hq/desk-01"]
    [(device_id, sent)] = publisher.sent
    assert device_id == "riyadh-hq-desk-01-aaaaaa" and sent is not None and sent.survey.every_n == 3
    assert store.devices.config(device_id).survey.every_n == 3  # type: ignore[union-attr]
    again = apply_sites(store, load_sites_file(path), NOW, publisher)
    assert not again.plan.changed and len(publisher.sent) == 1  # the same file twice changes nothing
    store.close()


def test_languages_flow_from_file_defaults_to_site_to_desk(tmp_path: Path) -> None:
    """``languages`` is a desk setting like the others: file defaults, then the site's, then the desk's own."""
    assert _config(tmp_path, SITE).languages == ["ar", "en"]
    top = '[defaults]\nlanguages = ["ar", "en", "ur", "hi", "bn", "tl", "id"]\n'
    assert _config(tmp_path, top + SITE).languages == ["ar", "en", "ur", "hi", "bn", "tl", "id"]
    own = SITE + '  languages = ["ar", "bn"]\n  default_lang = "bn"\n'
    config = _config(tmp_path, top + own)
    assert (config.languages, config.default_lang) == (["ar", "bn"], "bn")


def test_a_bad_language_in_sites_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(SITE + '  languages = ["ar", "Urdu"]\n')
    with pytest.raises(ValueError, match=r"languages\.1: must be a language code of 2 or 3 lowercase letters"):
        load_sites_file(path)


def test_a_default_language_the_desk_does_not_offer_is_refused_with_the_desk_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"site riyadh-hq desk desk-01: default_lang: 'en' is not one of"):
        _config(tmp_path, SITE + '  languages = ["ar", "ur"]\n  default_lang = "en"\n')


def test_the_spoken_prompts_volume_flows_to_the_desk_and_is_bounded(tmp_path: Path) -> None:
    assert _config(tmp_path, SITE).volume == 80  # the contract's default
    assert _config(tmp_path, "[defaults]\nvolume = 40\n" + SITE).volume == 40
    assert _config(tmp_path, "[defaults]\nvolume = 40\n" + SITE + "  volume = 0\n").volume == 0
    path = tmp_path / "sites.toml"
    path.write_text(SITE + "  volume = 101\n")
    with pytest.raises(ValueError, match="volume"):
        load_sites_file(path)
