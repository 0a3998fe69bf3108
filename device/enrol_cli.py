"""``taqyeem-device enrol``: give a new tablet its config from a bundle folder, a USB stick or a one-time code.

Thin wrapper over device/enrolment.py and device/usb_stick.py; an ``EnrolmentError``
becomes one ``Error:`` line. The kiosk's own enrolment screen (device/kiosk/enrol_app.py)
does the same for a tablet nobody has a keyboard on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from device.enrolment import (
    ENROL_SETTINGS,
    ENROLLED_DIR,
    ETC_CONFIG,
    TABLET_DATA_DIR,
    EnrolmentData,
    EnrolmentError,
    enrol_defaults,
    find_config,
    install,
    read_bundle,
    redeem_code,
    take_from_stick,
)

F = TypeVar("F", bound=Callable[..., Any])


def enrolled_dir_option(command: F) -> F:
    return click.option(
        "--enrolled-dir",
        type=click.Path(path_type=Path),
        default=ENROLLED_DIR,
        show_default=True,
        envvar="TAQYEEM_ENROLLED_DIR",
        help="Where an enrolment is written (the kiosk may write there)  [env TAQYEEM_ENROLLED_DIR]",
    )(command)


@click.command()
@click.option("--bundle", type=click.Path(path_type=Path, file_okay=False), help="A bundle folder to install.")
@click.option("--usb", type=click.Path(path_type=Path), help="A USB stick's partition, e.g. /dev/sda1 (as root).")
@click.option("--stick", type=click.Path(path_type=Path, file_okay=False), help="A stick already mounted here.")
@click.option("--code", help="The one-time enrolment code from `taqyeem provision device --code`.")
@click.option("--collector", help="The collector's https:// address for --code (default: collector_url of enrol.toml).")
@click.option("--ca", type=click.Path(path_type=Path), help="CA of the collector's certificate (default: enrol.toml).")
@click.option("--force", is_flag=True, help="With --bundle or --code: replace this tablet's enrolment.")
@enrolled_dir_option
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=TABLET_DATA_DIR,
    show_default=True,
    help="The tablet's data folder (its outbox) written into device.toml.",
)
@click.option(
    "--enrol-settings",
    type=click.Path(path_type=Path),
    default=ENROL_SETTINGS,
    show_default=True,
    envvar="TAQYEEM_ENROL_SETTINGS",
    help="The image's collector_url and ca_file.",
)
@click.option(
    "--etc-config",
    type=click.Path(path_type=Path),
    default=ETC_CONFIG,
    show_default=True,
    help="A config set up by hand, which wins over an enrolment.",
)
def enrol(
    bundle: Path | None,
    usb: Path | None,
    stick: Path | None,
    code: str | None,
    collector: str | None,
    ca: Path | None,
    force: bool,
    enrolled_dir: Path,
    data_dir: Path,
    enrol_settings: Path,
    etc_config: Path,
) -> None:
    """Enrol this tablet: install its config from a bundle, a USB stick or a one-time code.

    --usb mounts the stick privately, takes its one bundle only if the tablet is
    not enrolled yet, then overwrites and deletes the password and QR codes on
    the stick and leaves a TAKEN.txt (the USB unit runs it when a stick is
    plugged in). --code asks the collector over HTTPS.

    Example:

    \b
        sudo taqyeem-device enrol --code 7KQ2-M9XD-4HPA --collector https://taqyeem.centre.lan
        sudo taqyeem-device enrol --bundle /media/usb/riyadh-hq-desk-12-a1b2c3
    """
    chosen = [
        name for name, value in (("--bundle", bundle), ("--usb", usb), ("--stick", stick), ("--code", code)) if value
    ]
    if len(chosen) != 1:
        raise click.UsageError("give one of --bundle, --usb, --stick or --code")
    try:
        data = _enrol(
            bundle, usb, stick, code, collector, ca, force, enrolled_dir, data_dir, enrol_settings, etc_config
        )
    except EnrolmentError as exc:
        raise click.ClickException(str(exc)) from None
    desk = f" ({data.desk_name_en})" if data.desk_name_en else ""
    click.echo(f"Enrolled: this tablet is {data.device_id}{desk}; its config is in {enrolled_dir}/device.toml.")
    if (etc_config).is_file():
        click.echo(f"Note: {etc_config} exists and is used before it; remove it to use this enrolment.")


def _enrol(
    bundle: Path | None,
    usb: Path | None,
    stick: Path | None,
    code: str | None,
    collector: str | None,
    ca: Path | None,
    force: bool,
    enrolled_dir: Path,
    data_dir: Path,
    enrol_settings: Path,
    etc_config: Path,
) -> EnrolmentData:
    if usb is not None:
        from device.usb_stick import take_from_device

        return take_from_device(usb, enrolled_dir=enrolled_dir, etc_config=etc_config, data_dir=data_dir)
    if stick is not None:
        return take_from_stick(stick, enrolled_dir=enrolled_dir, etc_config=etc_config, data_dir=data_dir)
    existing = find_config(etc_config, enrolled_dir)
    if existing is not None and not force:
        raise EnrolmentError("enrolled", f"this tablet is already enrolled ({existing}); pass --force to replace it")
    if bundle is not None:
        data = read_bundle(bundle)
        install(data, enrolled_dir=enrolled_dir, data_dir=data_dir, how="from a bundle folder")
        return data
    default_url, default_ca = enrol_defaults(enrol_settings)
    url = collector or default_url
    if not url:
        raise EnrolmentError(
            "refused", f"no collector address: pass --collector https://... or set it in {enrol_settings}"
        )
    assert code is not None
    data = redeem_code(url, code, ca_file=ca or default_ca)
    install(data, enrolled_dir=enrolled_dir, data_dir=data_dir, how="by code")
    return data
