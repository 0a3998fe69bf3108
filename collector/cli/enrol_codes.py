"""The enrolment code options of ``provision device`` and ``replace``; ``provision codes``, ``revoke-code``.

A one-time enrolment code lets a new tablet fetch its bundle over HTTPS from the
collector's ``tablet_url`` (collector/fleet/enrol_by_code.py); no keyboard
session and no USB stick needed. The code is printed once and never stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import one_line_errors
from collector.cli.options import db_options, gathered
from collector.fleet.enrol_by_code import IssuedCode, revoke_codes
from collector.fleet.enrol_codes import DEFAULT_CODE_HOURS, state_of
from collector.fleet.errors import ProvisioningError
from shared.clock import format_time


def _hours_if_asked(code: bool, code_hours: int) -> int | None:
    return code_hours if code else None


code_options = gathered(
    "code_hours",
    ("code", "code_hours"),
    _hours_if_asked,
    [
        click.option(
            "--code",
            is_flag=True,
            help="Also print a one-time enrolment code the tablet can type instead of taking the USB stick "
            "(needs tablet_url in the collector's settings).",
        ),
        click.option(
            "--code-hours",
            type=click.IntRange(1, 24 * 14),
            default=DEFAULT_CODE_HOURS,
            show_default=True,
            help="How long the enrolment code stays valid.",
        ),
    ],
)
"""--code and --code-hours, as ``code_hours``: how long the code lives, or None when no --code."""


def code_target(collector: CollectorContext) -> tuple[str, str | None]:
    """The collector's ``tablet_url`` (refused when unset) and ``release_public_key``, before anything is made."""
    settings = collector.settings
    if not settings.tablet_url:
        raise ProvisioningError(
            'no enrolment code can be made: the collector has no tablet_url; set tablet_url = "https://..." '
            "(the address tablets reach this collector at over HTTPS) in its settings, or leave out --code"
        )
    if not settings.tablet_url.startswith("https://"):
        raise ProvisioningError(
            f"tablet_url {settings.tablet_url} is not https://: a code and the password it fetches travel over it; "
            "serve the collector over HTTPS (https_cert, https_key, or a reverse proxy) and set tablet_url to that"
        )
    return settings.tablet_url, settings.release_public_key


def print_code(issued: IssuedCode, hours: int) -> None:
    click.echo(f"Enrolment code: {issued.code}  (one use, valid {hours} h, until {issued.expires_at})")
    click.echo(f"  On the new tablet's enrolment screen type it, with the collector address {issued.url}")
    click.echo(f"  or: sudo taqyeem-device enrol --code {issued.code} --collector {issued.url}")


@click.command("codes")
@db_options
@click.option("--all", "every", is_flag=True, help="Also the used, revoked and expired codes.")
@one_line_errors
def codes(collector: CollectorContext, every: bool) -> None:
    """List the enrolment codes waiting to be typed on a tablet (never the codes themselves).

    Example:

        taqyeem provision codes --db /var/lib/taqyeem/taqyeem.db
    """
    now = format_time(datetime.now(UTC))
    store = collector.store
    store.enrolment_codes.forget_dead(now)
    rows = store.enrolment_codes.all(every=every, now=now)
    if not rows:
        click.echo("No pending enrolment codes." if not every else "No enrolment codes yet.")
        return
    table = [("DEVICE", "STATE", "MADE", "BY", "EXPIRES", "USED FROM")]
    table += [
        (r["device_id"], state_of(r, now), r["created_at"], r["created_by"], r["expires_at"], r["used_from"] or "-")
        for r in rows
    ]
    widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]))]
    for line in table:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


@click.command("revoke-code")
@click.option("--device", "device_id", required=True, help="The device whose pending enrolment codes to withdraw.")
@db_options
@one_line_errors
def revoke_code(device_id: str, collector: CollectorContext) -> None:
    """Withdraw a device's pending enrolment codes (a code written down in the wrong place, a tablet not coming).

    The device's account stays; enrol it with its bundle, or make a new code
    with `taqyeem provision replace --code`.

    Example:

        taqyeem provision revoke-code --db /var/lib/taqyeem/taqyeem.db --device riyadh-hq-desk-12-a1b2c3
    """
    count = revoke_codes(collector.store, device_id)
    click.echo(f"Withdrew {count} enrolment code{'s' if count != 1 else ''} of {device_id}.")
