"""The ``taqyeem-device`` command (device/cli.py): help, the staff PIN, the config, one-line errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from device.cli import cli, with_pin_hash
from device.outbox import Outbox
from device.settings import load_device_settings
from shared.contract import DeviceConfig
from shared.pins import verify_pin
from tests.support.click_commands import walk
from tests.support.db_files import count

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def device_toml(tmp_path: Path) -> Path:
    password = tmp_path / "password"
    password.write_text("s3cret-device-password\n")
    config = tmp_path / "device.toml"
    config.write_text(
        f'device_id = "riyadh-hq-desk-01-abc123"\ndata_dir = "{tmp_path / "data"}"\n'
        f'broker = "mqtt://127.0.0.1:1883"\npassword_file = "{password}"\n'
    )
    return config


COMMANDS = list(walk(cli))


def test_the_walk_finds_the_commands() -> None:
    assert {" ".join(path) for path, _ in COMMANDS} == {
        "",
        "run",
        "set-pin",
        "show-config",
        "simulate",
        "make-sounds",
        "enrol",
        "update-check",
    }


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "taqyeem-device")
def test_every_command_has_help_with_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = runner.invoke(cli, [*path, "--help"], prog_name="taqyeem-device")

    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert f"taqyeem-device {' '.join(path)}".strip() in example  # the example runs this very command


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if p], ids=lambda p: " ".join(p))
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"taqyeem-device {' '.join(path)}" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "taqyeem-device")
def test_every_option_has_help(path: tuple[str, ...]) -> None:
    command = dict(COMMANDS)[path]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name not in ("help", "version"):
            assert param.help, f"taqyeem-device {' '.join(path)} {param.opts[0]} has no help"


def _one_line_error(result: click.testing.Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_run_with_a_missing_config_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    line = _one_line_error(runner.invoke(cli, ["run", "--config", str(tmp_path / "nope.toml")]))
    assert "does not exist" in line
    assert not (tmp_path / "data").exists()  # refused before Kivy or the outbox were touched


def test_run_with_a_missing_password_file_names_the_bundle(runner: CliRunner, device_toml: Path) -> None:
    (device_toml.parent / "password").unlink()
    line = _one_line_error(runner.invoke(cli, ["run", "--config", str(device_toml)]))
    assert "password_file" in line and "enrolment bundle" in line


def test_set_pin_writes_a_hash_the_kiosk_accepts(runner: CliRunner, device_toml: Path) -> None:
    result = runner.invoke(cli, ["set-pin", "--config", str(device_toml)], input="4821\n4821\n")

    assert result.exit_code == 0, result.output
    assert "restart" in result.output
    written = tomllib.loads(device_toml.read_text())  # no setting is the PIN (a path or the hash's hex may hold
    assert "4821" not in {str(value) for value in written.values()}  # "4821" by chance: compare whole values)
    settings = load_device_settings(device_toml)
    assert verify_pin("4821", settings.staff_pin_hash)
    assert not verify_pin("1111", settings.staff_pin_hash)


def test_set_pin_again_replaces_the_old_hash(runner: CliRunner, device_toml: Path) -> None:
    runner.invoke(cli, ["set-pin", "--config", str(device_toml)], input="4821\n4821\n")
    result = runner.invoke(cli, ["set-pin", "--config", str(device_toml)], input="90210\n90210\n")

    assert result.exit_code == 0, result.output
    assert device_toml.read_text().count("staff_pin_hash") == 1
    pin_hash = load_device_settings(device_toml).staff_pin_hash
    assert verify_pin("90210", pin_hash) and not verify_pin("4821", pin_hash)


def test_set_pin_keeps_the_files_mode(runner: CliRunner, device_toml: Path) -> None:
    device_toml.chmod(0o640)
    runner.invoke(cli, ["set-pin", "--config", str(device_toml)], input="4821\n4821\n")
    assert device_toml.stat().st_mode & 0o777 == 0o640


def test_set_pin_print_only_changes_no_file(runner: CliRunner, device_toml: Path) -> None:
    before = device_toml.read_text()
    result = runner.invoke(cli, ["set-pin", "--print", "--config", str(device_toml)], input="4821\n4821\n")

    assert result.exit_code == 0, result.output
    line = result.stdout.strip().splitlines()[-1]
    assert verify_pin("4821", tomllib.loads(line)["staff_pin_hash"])
    assert device_toml.read_text() == before


def test_set_pin_refuses_a_pin_that_is_not_digits(runner: CliRunner, device_toml: Path) -> None:
    before = device_toml.read_text()
    line = _one_line_error(runner.invoke(cli, ["set-pin", "--config", str(device_toml)], input="12ab\n12ab\n"))
    assert "digits (0-9) only" in line
    assert device_toml.read_text() == before


@pytest.mark.parametrize(("pin", "reason"), [("123", "4 to 8 digits"), ("0000", "repeated"), ("9876", "a run")])
def test_set_pin_refuses_a_weak_pin_with_the_reason(
    runner: CliRunner, device_toml: Path, pin: str, reason: str
) -> None:
    before = device_toml.read_text()
    line = _one_line_error(runner.invoke(cli, ["set-pin", "--config", str(device_toml)], input=f"{pin}\n{pin}\n"))
    assert reason in line
    assert device_toml.read_text() == before


def test_set_pin_without_the_config_file_says_what_to_pass(runner: CliRunner, tmp_path: Path) -> None:
    line = _one_line_error(runner.invoke(cli, ["set-pin", "--config", str(tmp_path / "nope.toml")], input="1\n"))
    assert "does not exist" in line and "--print" in line


def test_with_pin_hash_adds_or_replaces_one_line() -> None:
    assert with_pin_hash('device_id = "d-1"', "H1") == 'device_id = "d-1"\nstaff_pin_hash = "H1"\n'
    assert with_pin_hash('a = 1\nstaff_pin_hash = "H1"\nb = 2\n', "H2") == 'a = 1\nstaff_pin_hash = "H2"\nb = 2\n'


def test_show_config_hides_secrets(runner: CliRunner, device_toml: Path) -> None:
    result = runner.invoke(cli, ["show-config", "--config", str(device_toml)])

    assert result.exit_code == 0, result.output
    assert 'device_id = "riyadh-hq-desk-01-abc123"' in result.output
    assert 'broker = "mqtt://127.0.0.1:1883"' in result.output
    assert "s3cret-device-password" not in result.output
    assert "staff_pin_hash" in result.output and "set-pin" in result.output
    assert "no outbox yet" in result.output
    assert "# program: the base install" in result.output


def test_show_config_applies_environment_variables(
    runner: CliRunner, device_toml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAQYEEM_RESEND_AFTER_S", "12.5")
    result = runner.invoke(cli, ["show-config", "--config", str(device_toml)])
    assert "resend_after_s = 12.5" in result.output


def test_show_config_names_the_desk_the_collector_sent(runner: CliRunner, device_toml: Path) -> None:
    settings = load_device_settings(device_toml)
    outbox = Outbox(settings.data_dir / "outbox.db", settings.device_id)
    outbox.save_config(
        DeviceConfig(site_id="riyadh-hq", desk_id="desk-01", desk_name_ar="مكتب ١", desk_name_en="Desk 1")
    )
    outbox.add(score=5, employee_id=None)
    outbox.close()

    result = runner.invoke(cli, ["show-config", "--config", str(device_toml)])

    assert result.exit_code == 0, result.output
    assert "riyadh-hq/desk-01 (Desk 1)" in result.output
    assert "waiting for the collector's Ack: 1" in result.output


def test_show_config_with_a_bad_key_names_it(runner: CliRunner, device_toml: Path) -> None:
    device_toml.write_text(device_toml.read_text() + 'brokr = "x"\n')
    line = _one_line_error(runner.invoke(cli, ["show-config", "--config", str(device_toml)]))
    assert "brokr" in line


def test_python_dash_m_device_help() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAQYEEM_")}
    result = subprocess.run(
        [sys.executable, "-m", "device", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )

    assert result.returncode == 0, result.stderr
    for name in ("run", "set-pin", "show-config"):
        assert name in result.stdout
    assert result.stderr == ""


def test_the_simulate_command_drives_real_desks_to_the_collector(broker, make_collector, unique_id, tmp_path: Path):
    ingest = make_collector()
    prefix = unique_id("cli")
    password = "sim-" + unique_id("pw")
    for number in (1, 2):
        broker.local.add_user(f"{prefix}-{number:02d}", password)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "device",
            "simulate",
            "--broker",
            f"mqtt://127.0.0.1:{broker.port}",
            "--password",
            password,
            "--devices",
            "2",
            "--ratings",
            "25",
            "--prefix",
            prefix,
            "--data-dir",
            str(tmp_path / "sim"),
            "--timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "taken 50 ratings at 2 desks" in done.stdout and "acked by the collector: all" in done.stdout
    assert count(ingest.store.path, "ratings") == 50


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (Debian package espeak-ng)")
def test_make_sounds_writes_each_language_espeak_speaks_and_says_which_it_skipped(
    runner: CliRunner, device_toml: Path, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["make-sounds", "--config", str(device_toml), "--lang", "ar", "--lang", "tl"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "data" / "sounds"  # the default: the sounds folder in the data dir
    assert (folder / "ar" / "question.wav").stat().st_size > 1000
    assert (folder / "ar" / "face-5.wav").is_file() and (folder / "ar" / "reason-waiting_time.wav").is_file()
    assert "13 sound files written, 0 kept" in result.output
    assert "skipped tl: espeak-ng has no voice for 'tl'" in result.output
    again = runner.invoke(cli, ["make-sounds", "--config", str(device_toml), "--lang", "ar"])
    assert "0 sound files written, 13 kept" in again.output  # a recorded voice in their place would stay
