"""``taqyeem-device update-check``: roll back a new release that crashes or never comes online.

A thin wrapper over device/updates/rollback.py, run by systemd from the base install (see
docs/deployment.md, "How a tablet updates itself"); also the lines ``show-config`` prints about
the release running and the last update.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import click

from device.cli_options import config_option, settings_of
from device.settings import DeviceSettings
from device.updates.layout import Releases


@click.command("update-check")
@config_option
@click.option("--starting", is_flag=True, help="Count a start of the kiosk (the kiosk unit's ExecStartPre).")
@click.option(
    "--trial-minutes", default=5.0, show_default=True, type=click.FloatRange(min=0), help="Time to come online."
)
@click.option("--restart", "restart_unit", metavar="UNIT", help="After a rollback, restart this systemd unit.")
@click.option("--retry", is_flag=True, help="Take the config's release again though it was refused or rolled back.")
def update_check(
    config_file: Path, starting: bool, trial_minutes: float, restart_unit: str | None, retry: bool
) -> None:
    """Roll back a new release that crashes or does not come online (systemd runs it).

    Run from the base install, never from a release: the kiosk unit runs it with
    --starting before each start (more than 3 starts of a version on trial: roll
    back), the taqyeem-update-check timer every minute (on trial longer than
    --trial-minutes without coming online: roll back and restart the kiosk).

    Example:

        taqyeem-device update-check --config /etc/taqyeem/device.toml --restart taqyeem-kiosk.service
    """
    from device.updates.rollback import check, forget_refusals

    try:
        settings = settings_of(config_file)
    except click.ClickException as exc:
        if config_file.exists():
            raise
        click.echo(f"no release on trial: no device config yet ({exc.message})")  # a tablet not enrolled yet
        return
    logging.basicConfig(level="INFO", format="%(levelname)s %(name)s: %(message)s")
    releases = Releases(settings.data_dir / "releases")
    try:
        if retry:
            forget_refusals(releases)
            click.echo("the kiosk takes the config's release again (restart it: sudo systemctl restart taqyeem-kiosk)")
            return
        result = check(releases, starting=starting, trial_s=trial_minutes * 60)
    except PermissionError as exc:
        raise click.ClickException(f"cannot write in {releases.folder} ({exc}); run as root or as kiosk") from None
    if result.rolled_back is None:
        click.echo(f"{result.on_trial} on trial" if result.on_trial else "no release on trial")
        return
    click.echo(f"rolled back: {result.rolled_back}")
    if restart_unit:
        subprocess.run(["systemctl", "restart", "--no-block", restart_unit], check=False, timeout=30)


def release_lines(settings: DeviceSettings) -> list[str]:
    """What ``show-config`` says about the program running and the last update."""
    releases = Releases(settings.data_dir / "releases")
    slot = releases.current_slot()
    lines = [f"# program: {f'the release in slot {slot}' if slot else 'the base install'} ({releases.folder})"]
    report = releases.read_record().report
    if report is not None:
        lines.append(
            f"# last update: {report.version} {report.state}" + (f": {report.reason}" if report.reason else "")
        )
    return lines
