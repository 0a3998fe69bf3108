"""The ``taqyeem-device`` command on a desk tablet: run the kiosk, set the desk PIN (IT's), show the config.

Also ``simulate``: simulated desks (the real device core, no screen) for
trials and load tests against a collector.

Installed by ``pip install "taqyeem[device]"`` (no collector, no web stack).
Thin wrappers over device/settings.py, shared/pins.py, the kiosk and device/simulator.py:
settings errors become ``click.ClickException``, so a person sees one
``Error:`` line saying what to do, never a traceback. Also ``python -m device``.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import threading
import tomllib
from pathlib import Path

import click

from device import __version__
from device.cli_options import config_option, resolve_config, settings_of
from device.enrol_cli import enrol
from device.settings import DeviceSettings
from device.update_cli import release_lines, update_check

PIN_LINE = re.compile(r"^[ \t]*staff_pin_hash[ \t]*=.*$", re.MULTILINE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taqyeem-device")
def cli() -> None:
    """Taqyeem on a desk tablet: the rating kiosk and its settings.

    Example:

        taqyeem-device run --config /etc/taqyeem/device.toml
    """


cli.add_command(update_check)  # device/update_cli.py


@cli.command()
@config_option
@click.option("--windowed", is_flag=True, help="A window instead of full screen (for trying it on a desktop).")
@click.option(
    "--sign-in",
    "sign_in",
    metavar="EMPLOYEE_ID",
    help="Sign this employee in at start, with their PIN from TAQYEEM_SIGN_IN_PIN (the demo uses it).",
)
def run(config_file: Path, windowed: bool, sign_in: str | None) -> None:
    """Start the desk kiosk (Kivy) from a device.toml; a tablet not enrolled yet shows the enrolment screen.

    On a tablet systemd runs it (deploy/pi/taqyeem-kiosk.service); Escape does
    not quit, SIGTERM or Ctrl-C stops it cleanly. Without /etc/taqyeem/device.toml
    it uses the enrolment in /var/lib/taqyeem/enrolled/ (`taqyeem-device enrol`),
    and without either it shows the enrolment screen, then exits once enrolled.

    Example:

        taqyeem-device run --config /etc/taqyeem/device.toml
    """
    resolved = resolve_config(config_file)
    settings = settings_of(config_file) if resolved is not None else None
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if importlib.util.find_spec("kivy") is None:  # a server install (".[collector]") has no kiosk
        raise click.ClickException(
            'Kivy is not installed here; install the tablet\'s side: pip install "taqyeem[device]"'
        )
    pin = os.environ.get("TAQYEEM_SIGN_IN_PIN", "")
    if sign_in and not pin:
        raise click.ClickException(
            "--sign-in needs the employee's PIN in TAQYEEM_SIGN_IN_PIN (never on the command line)"
        )
    from device.kiosk.app import run_kiosk
    from device.kiosk.fonts import FontMissing, check_fonts

    try:
        check_fonts()  # before the window opens: one line saying which package to install
    except FontMissing as exc:
        raise click.ClickException(str(exc)) from None
    if settings is None:
        from device.kiosk.enrol_app import run_enrolment

        run_enrolment(fullscreen=not windowed)
        return
    run_kiosk(settings, fullscreen=settings.fullscreen and not windowed, sign_in=(sign_in, pin) if sign_in else None)


def with_pin_hash(toml_text: str, pin_hash: str) -> str:
    """``toml_text`` with its ``staff_pin_hash`` line replaced, or one added at the end (pure)."""
    line = f'staff_pin_hash = "{pin_hash}"'
    if PIN_LINE.search(toml_text):
        return PIN_LINE.sub(lambda _match: line, toml_text, count=1)
    return toml_text + ("" if toml_text.endswith("\n") or not toml_text else "\n") + line + "\n"


@cli.command("set-pin")
@config_option
@click.option("--print", "print_only", is_flag=True, help="Only print the staff_pin_hash line; change no file.")
def set_pin(config_file: Path, print_only: bool) -> None:
    """Set the desk PIN that opens the desk's settings screen for IT (asks twice); employees use their own PINs.

    The PIN (4 to 8 digits, not one digit repeated and not a run like 1234;
    PROTOCOL 1.2) is kept only as a salted, slow hash in
    device.toml; the kiosk reads it at start, so restart it afterwards. Run it
    as root: device.toml is readable only by root and the kiosk.

    Example:

        sudo taqyeem-device set-pin --config /etc/taqyeem/device.toml
    """
    from shared.pins import WEAKNESS_TEXTS, hash_pin, pin_weakness

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
    pin = click.prompt("New desk PIN (4-8 digits)", hide_input=True, confirmation_prompt="Again")
    weakness = pin_weakness(pin)
    if weakness is not None:
        raise click.ClickException(WEAKNESS_TEXTS[weakness])
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
    click.echo(f"Set the desk PIN in {config_file}. Restart the kiosk to use it: sudo systemctl restart taqyeem-kiosk")


@cli.command("make-sounds")
@config_option
@click.option("--overwrite", is_flag=True, help="Replace files already there (a centre's recorded voice too).")
@click.option(
    "--lang", "languages", multiple=True, metavar="CODE", help="Only this language (repeatable); default: all."
)
def make_sounds(config_file: Path, overwrite: bool, languages: tuple[str, ...]) -> None:
    """Make the speaker button's prompts with espeak-ng, offline, in the sounds folder.

    One folder per language (question.wav, face-1.wav .. face-5.wav, followup.wav,
    reason-<code>.wav); a language espeak-ng cannot speak is skipped and the
    kiosk is silent in it. Files already there (a recorded voice) are kept.
    deploy/pi/setup-pi.sh runs it.

    Example:

        taqyeem-device make-sounds --config /etc/taqyeem/device.toml
    """
    from device.kiosk import sounds

    settings = settings_of(config_file)
    folder = settings.sounds_path()
    if why := sounds.espeak_available():
        raise click.ClickException(f"{why}; install it: sudo apt-get install espeak-ng")
    try:
        made = sounds.make_sounds(folder, languages or sounds.ESPEAK_VOICES, overwrite=overwrite)
    except PermissionError:
        raise click.ClickException(f"cannot write in {folder}; run this command as the kiosk's user or root") from None
    click.echo(f"{len(made.written)} sound files written, {len(made.kept)} kept in {folder}")
    for lang, why in made.skipped.items():
        click.echo(f"skipped {lang}: {why} (the kiosk is silent in it; record the files to add a voice)")


@cli.command("show-config")
@config_option
def show_config(config_file: Path) -> None:
    """Print the settings the kiosk would start with (file, then TAQYEEM_* variables).

    Secrets are not shown: the password and the PIN hash only say whether they
    are set. If the outbox exists, also the desk config the collector sent and
    the ratings still waiting for its Ack.

    Example:

        taqyeem-device show-config --config /etc/taqyeem/device.toml
    """
    settings = settings_of(config_file)
    values = settings.model_dump()
    values["password"] = "(set)" if settings.password else None
    values["staff_pin_hash"] = "(set)" if settings.staff_pin_hash else "(not set: taqyeem-device set-pin)"
    click.echo(f"# {config_file}")
    for key, value in values.items():
        if value is not None:
            click.echo(f"{key} = {_toml_value(value)}")
    _show_outbox(settings)
    for line in release_lines(settings):
        click.echo(line)


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
        config, depth, signs = outbox.load_config(), outbox.depth(), outbox.presence_depth()
    finally:
        outbox.close()
    desk = (
        f"{config.site_id}/{config.desk_id} ({config.desk_name_en})"
        if config
        else "none yet (not heard from the collector)"
    )
    click.echo(f"# desk config from the collector: {desk}")
    click.echo(f"# ratings waiting for the collector's Ack: {depth}")
    click.echo(f"# sign-ins and sign-outs waiting for the collector's Ack: {signs}")


@cli.command()
@click.option("--broker", required=True, help="mqtt://HOST:PORT or mqtts://HOST:PORT of the broker.")
@click.option("--password", envvar="TAQYEEM_SIM_PASSWORD", help="Broker password shared by the simulated devices.")
@click.option("--ca", type=click.Path(path_type=Path), help="CA certificate for mqtts://.")
@click.option("--devices", default=5, show_default=True, type=click.IntRange(1, 500), help="Simulated desks.")
@click.option("--ratings", default=100, show_default=True, type=click.IntRange(0), help="Ratings per desk.")
@click.option("--interval", default=0.0, show_default=True, type=float, help="Mean seconds between taps at a desk.")
@click.option("--prefix", default="sim", show_default=True, help="Device ids are PREFIX-01, PREFIX-02, ...")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path("data/simulator"),
    show_default=True,
    help="Folder of the desks' outboxes.",
)
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait until the collector acked everything.")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for the acks.")
@click.option("--resend-after", default=30.0, show_default=True, help="Seconds before an unacked rating is resent.")
@click.option("--seed", type=int, help="Random seed, for repeatable runs.")
def simulate(
    broker: str,
    password: str | None,
    ca: Path | None,
    devices: int,
    ratings: int,
    interval: float,
    prefix: str,
    data_dir: Path,
    wait: bool,
    timeout: float,
    resend_after: float,
    seed: int | None,
) -> None:
    """Drive the real device core from simulated desks (one outbox per desk), for trials and load tests.

    Each device's MQTT username is its device id (PREFIX-NN); all use --password.
    It needs no Kivy: the desks tap in threads, not on a screen.

    Example:

        taqyeem-device simulate --broker mqtt://127.0.0.1:1883 --password S3cret --devices 5 --ratings 1000
    """
    from device.simulator import open_desks, wait_drained
    from device.simulator import simulate as run

    logging.basicConfig(level="WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        desks = open_desks(
            broker=broker,
            password=password,
            count=devices,
            prefix=prefix,
            data_dir=data_dir,
            ca_file=ca,
            resend_after_s=resend_after,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for desk in desks:
        desk.core.start()
    stop = threading.Event()
    try:
        taken = run(desks, ratings=ratings, interval_s=interval, stop=stop, seed=seed)
        click.echo(f"taken {taken} ratings at {devices} desks")
        if wait:
            drained = wait_drained(desks, timeout)
            left = sum(d.core.outbox_depth() for d in desks)
            click.echo(f"acked by the collector: {'all' if drained else f'all but {left}'}")
            if not drained:
                raise click.ClickException(
                    f"{left} ratings still in the outboxes after {timeout:.0f} s; is the collector running?"
                )
    except KeyboardInterrupt:
        stop.set()
    finally:
        for desk in desks:
            desk.core.stop()


cli.add_command(enrol)


def main() -> None:
    from device.updates.version import pin_running_slot

    pin_running_slot()  # modules imported later come from the release this process started with
    cli(prog_name="taqyeem-device")


if __name__ == "__main__":
    main()
