"""The ``taqyeem-device`` command on a desk tablet: run the kiosk, set the staff PIN, show the config.

Installed by ``pip install "taqyeem[device]"`` (no collector, no web stack).
Thin wrappers over device/settings.py, device/kiosk/pin.py and the kiosk:
settings errors become ``click.ClickException``, so a person sees one
``Error:`` line saying what to do, never a traceback. Also ``python -m device``.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import tomllib
from pathlib import Path

import click

from device import __version__
from device.settings import DeviceSettings, SettingsError, load_device_settings

DEFAULT_CONFIG = Path("/etc/taqyeem/device.toml")
PIN_LINE = re.compile(r"^[ \t]*staff_pin_hash[ \t]*=.*$", re.MULTILINE)


def _config_option(command: click.Command) -> click.Command:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path),
        default=DEFAULT_CONFIG,
        show_default=True,
        envvar="TAQYEEM_DEVICE_CONFIG",
        help="The tablet's device.toml (from its enrolment bundle)  [env TAQYEEM_DEVICE_CONFIG]",
    )(command)


def _settings(config_file: Path) -> DeviceSettings:
    try:
        return load_device_settings(config_file)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taqyeem-device")
def cli() -> None:
    """Taqyeem on a desk tablet: the rating kiosk and its settings.

    Example:

        taqyeem-device run --config /etc/taqyeem/device.toml
    """


@cli.command()
@_config_option
@click.option("--windowed", is_flag=True, help="A window instead of full screen (for trying it on a desktop).")
def run(config_file: Path, windowed: bool) -> None:
    """Start the desk kiosk (Kivy) from a device.toml.

    On a tablet systemd runs it (deploy/pi/taqyeem-kiosk.service); Escape does
    not quit, SIGTERM or Ctrl-C stops it cleanly.

    Example:

        taqyeem-device run --config /etc/taqyeem/device.toml
    """
    settings = _settings(config_file)
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if importlib.util.find_spec("kivy") is None:  # a server install (".[collector]") has no kiosk
        raise click.ClickException(
            'Kivy is not installed here; install the tablet\'s side: pip install "taqyeem[device]"'
        )
    from device.kiosk.app import run_kiosk

    run_kiosk(settings, fullscreen=settings.fullscreen and not windowed)


def with_pin_hash(toml_text: str, pin_hash: str) -> str:
    """``toml_text`` with its ``staff_pin_hash`` line replaced, or one added at the end (pure)."""
    line = f'staff_pin_hash = "{pin_hash}"'
    if PIN_LINE.search(toml_text):
        return PIN_LINE.sub(lambda _match: line, toml_text, count=1)
    return toml_text + ("" if toml_text.endswith("\n") or not toml_text else "\n") + line + "\n"


@cli.command("set-pin")
@_config_option
@click.option("--print", "print_only", is_flag=True, help="Only print the staff_pin_hash line; change no file.")
def set_pin(config_file: Path, print_only: bool) -> None:
    """Set the staff PIN that opens the desk's settings screen (asks twice).

    The PIN (4 to 12 digits) is kept only as a salted, slow hash in
    device.toml; the kiosk reads it at start, so restart it afterwards. Run it
    as root: device.toml is readable only by root and the kiosk.

    Example:

        sudo taqyeem-device set-pin --config /etc/taqyeem/device.toml
    """
    from device.kiosk.pin import hash_pin

    text = None
    if not print_only:
        try:
            text = config_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise click.ClickException(
                f"config file {config_file} does not exist; pass --config, or --print to only print the line"
            ) from None
        except PermissionError:
            raise click.ClickException(f"cannot read {config_file}; run this command as root (sudo)") from None
    pin = click.prompt("New staff PIN (4-12 digits)", hide_input=True, confirmation_prompt="Again")
    try:
        pin_hash = hash_pin(pin)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if text is None:
        click.echo(f'staff_pin_hash = "{pin_hash}"')
        return
    updated = with_pin_hash(text, pin_hash)
    try:
        tomllib.loads(updated)
    except tomllib.TOMLDecodeError as exc:
        raise click.ClickException(f"{config_file} is not valid TOML ({exc}); fix it, then run this again") from None
    try:
        config_file.write_text(updated, encoding="utf-8")  # in place: the file keeps its owner and mode
    except PermissionError:
        raise click.ClickException(f"cannot write {config_file}; run this command as root (sudo)") from None
    click.echo(f"Set the staff PIN in {config_file}. Restart the kiosk to use it: sudo systemctl restart taqyeem-kiosk")


@cli.command("show-config")
@_config_option
def show_config(config_file: Path) -> None:
    """Print the settings the kiosk would start with (file, then TAQYEEM_* variables).

    Secrets are not shown: the password and the PIN hash only say whether they
    are set. If the outbox exists, also the desk config the collector sent and
    the ratings still waiting for its Ack.

    Example:

        taqyeem-device show-config --config /etc/taqyeem/device.toml
    """
    settings = _settings(config_file)
    values = settings.model_dump()
    values["password"] = "(set)" if settings.password else None
    values["staff_pin_hash"] = "(set)" if settings.staff_pin_hash else "(not set: taqyeem-device set-pin)"
    click.echo(f"# {config_file}")
    for key, value in values.items():
        if value is not None:
            click.echo(f"{key} = {_toml_value(value)}")
    _show_outbox(settings)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _show_outbox(settings: DeviceSettings) -> None:
    path = settings.data_dir / "outbox.db"
    if not path.is_file():
        click.echo(f"# no outbox yet at {path} (the kiosk makes it when it first starts)")
        return
    from device.outbox import Outbox

    try:
        outbox = Outbox(path, settings.device_id)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        config, depth = outbox.load_config(), outbox.depth()
    finally:
        outbox.close()
    desk = (
        f"{config.site_id}/{config.desk_id} ({config.desk_name_en})"
        if config
        else "none yet (not heard from the collector)"
    )
    click.echo(f"# desk config from the collector: {desk}")
    click.echo(f"# ratings waiting for the collector's Ack: {depth}")


def main() -> None:
    cli(prog_name="taqyeem-device")


if __name__ == "__main__":
    main()
