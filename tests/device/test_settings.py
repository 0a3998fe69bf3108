"""load_device_settings: TOML file, then TAQYEEM_* variables, then explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from device.settings import DeviceSettings, SettingsError, load_device_settings

pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "device.toml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """
device_id = "riyadh-hq-d12"
data_dir = "/var/lib/taqyeem"
broker = "mqtts://broker.example:8883"
resend_after_s = 15.0
"""


def test_the_toml_file_alone(tmp_path: Path) -> None:
    settings = load_device_settings(_toml(tmp_path, BASE + "fullscreen = false\n"))

    assert settings.device_id == "riyadh-hq-d12"
    assert settings.data_dir == Path("/var/lib/taqyeem")
    assert settings.broker == "mqtts://broker.example:8883"
    assert settings.resend_after_s == 15.0
    assert settings.fullscreen is False
    assert settings.max_in_flight == 200  # default


def test_environment_beats_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAQYEEM_BROKER", "mqtt://10.0.0.5:1883")
    monkeypatch.setenv("TAQYEEM_RESEND_AFTER_S", "7.5")
    monkeypatch.setenv("TAQYEEM_FULLSCREEN", "false")

    settings = load_device_settings(_toml(tmp_path, BASE))

    assert settings.broker == "mqtt://10.0.0.5:1883"
    assert settings.resend_after_s == 7.5
    assert settings.fullscreen is False
    assert settings.device_id == "riyadh-hq-d12"  # untouched keys still come from the file


def test_overrides_beat_the_environment_and_none_means_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAQYEEM_BROKER", "mqtt://10.0.0.5:1883")
    monkeypatch.setenv("TAQYEEM_MAX_IN_FLIGHT", "50")

    settings = load_device_settings(
        _toml(tmp_path, BASE), broker="mqtt://127.0.0.1:1999", max_in_flight=None, device_id="jeddah-d1"
    )

    assert settings.broker == "mqtt://127.0.0.1:1999"
    assert settings.max_in_flight == 50  # None override leaves the environment's value
    assert settings.device_id == "jeddah-d1"


def test_no_file_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAQYEEM_DEVICE_ID", "sim-01")
    settings = load_device_settings(None, data_dir=tmp_path)

    assert settings.device_id == "sim-01"
    assert settings.data_dir == tmp_path
    assert settings.broker is None
    assert settings.broker_address() is None


def test_an_unknown_key_is_an_error_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"resend_afer_s: unknown key") as info:
        load_device_settings(_toml(tmp_path, BASE + "resend_afer_s = 3\n"))
    assert "\n" not in str(info.value)


def test_an_unknown_override_is_an_error_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"colour: unknown key"):
        load_device_settings(_toml(tmp_path, BASE), colour="green")


@pytest.mark.parametrize(
    ("broker", "words"),
    [
        ("http://broker.example:1883", r"broker: .*must start with mqtt:// or mqtts://, got 'http'"),
        ("mqtt://:1883", r"broker: .*has no host"),
        ("mqtt://broker.example:notaport", r"broker: .*port must be a number"),
    ],
)
def test_a_bad_broker_address_is_a_clear_error(tmp_path: Path, broker: str, words: str) -> None:
    with pytest.raises(SettingsError, match=words) as info:
        load_device_settings(_toml(tmp_path, BASE), broker=broker)
    assert str(info.value).startswith("device settings: ")


def test_a_bad_broker_address_from_the_environment_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAQYEEM_BROKER", "tcp://10.0.0.5")
    with pytest.raises(SettingsError, match=r"broker: .*mqtt://"):
        load_device_settings(_toml(tmp_path, BASE))


def test_a_missing_required_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"device_id"):
        load_device_settings(_toml(tmp_path, 'data_dir = "/tmp/x"\n'))


def test_a_bad_device_id_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"device_id"):
        load_device_settings(_toml(tmp_path, BASE), device_id="Desk 12!")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"does not exist"):
        load_device_settings(tmp_path / "nope.toml")


def test_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"is not valid TOML"):
        load_device_settings(_toml(tmp_path, "device_id = \n"))


def test_a_bad_number_from_the_environment_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAQYEEM_MAX_IN_FLIGHT", "lots")
    with pytest.raises(SettingsError, match=r"max_in_flight"):
        load_device_settings(_toml(tmp_path, BASE))


def test_broker_address_uses_the_device_id_and_the_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("S3cret\n")
    settings = load_device_settings(_toml(tmp_path, BASE), password_file=secret)

    address = settings.broker_address()

    assert address is not None
    assert (address.host, address.port, address.tls) == ("broker.example", 8883, True)
    assert address.username == "riyadh-hq-d12"
    assert address.password == "S3cret"


def test_the_password_is_not_shown_in_repr(tmp_path: Path) -> None:
    settings = load_device_settings(_toml(tmp_path, BASE), password="S3cret", staff_pin_hash="abc123")
    assert "S3cret" not in repr(settings)
    assert "abc123" not in repr(settings)


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = load_device_settings(_toml(tmp_path, BASE))
    with pytest.raises(ValueError, match="frozen"):
        settings.device_id = "other"  # type: ignore[misc]
    assert isinstance(settings, DeviceSettings)


def test_a_release_key_is_checked_without_importing_cryptography_until_a_release_is(tmp_path: Path) -> None:
    """The kiosk's start reads its settings: cryptography (8 MiB resident) waits for a release to check."""
    import subprocess
    import sys

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from shared.releases import public_key_text

    key = public_key_text(Ed25519PrivateKey.generate().public_key())
    script = (
        "import sys\n"
        "from device.core import DeviceCore\n"
        "from device.settings import DeviceSettings\n"
        f"DeviceSettings(device_id='d1', data_dir={str(tmp_path)!r}, release_key={key!r})\n"
        "print('cryptography' in sys.modules)\n"
        "try:\n"
        f"    DeviceSettings(device_id='d1', data_dir={str(tmp_path)!r}, release_key='not a key')\n"
        "except ValueError as e:\n"
        "    print('refused' if 'not an Ed25519 public key' in str(e) else e)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "refused"]
