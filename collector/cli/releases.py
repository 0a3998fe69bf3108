"""``taqyeem release ...``: the tablet's program, signed and rolled out desk by desk (thin wrappers).

keygen makes the signing key; add checks, signs and records a wheel; list shows each release
with how many tablets run it and should; rollout and stop set and clear the version wanted at a
desk, a site or the whole fleet, and send the changed desks their retained config
(collector/fleet/release_wheels.py, releases.py, rollout.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import actor, now, one_line_errors
from collector.cli.options import collector_options, db_options
from collector.fleet.release_wheels import add_release, make_signing_key
from collector.fleet.releases import release_overview
from collector.fleet.rollout import Change, Place, rollout, stop

F = TypeVar("F", bound=Callable[..., Any])


def _target_options(command: F) -> F:
    for decorator in reversed(
        [
            click.option("--desk", help="One desk, as SITE/DESK, e.g. riyadh-hq/desk-12 (the first stage)."),
            click.option("--site", help="Every desk of one site, e.g. riyadh-hq (the second stage)."),
            click.option("--all", "fleet", is_flag=True, help="Every desk of every site (the last stage)."),
        ]
    ):
        command = decorator(command)
    return command


@click.group()
def release() -> None:
    """Releases of the tablet's program: sign a wheel, then roll it out desk by desk.

    Example:

        taqyeem release list --config /etc/taqyeem/collector.toml
    """


@release.command("keygen")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="File for the new private key (0600).")
@one_line_errors
def release_keygen(out: Path) -> None:
    """Make the centre's release-signing key (Ed25519) and print its public half.

    Keep the private key offline (it signs what every tablet will run); put the
    printed line in collector.toml: provisioning then gives each new tablet the
    public key (release_key in its device.toml).

    Example:

        taqyeem release keygen --out /root/taqyeem-release.key
    """
    public = make_signing_key(out)
    click.echo(f"Wrote the release-signing key to {out} (mode 0600; keep it offline, it is never overwritten).")
    click.echo(f"Public key: {public}")
    click.echo("Put this line in collector.toml; tablets provisioned from then on get the public key:")
    click.echo(f'release_public_key = "{public}"')


@release.command("add")
@click.argument("wheel", type=click.Path(path_type=Path))
@click.option("--sign-key", required=True, type=click.Path(path_type=Path), help="The private key from keygen.")
@db_options
@one_line_errors
def release_add(wheel: Path, sign_key: Path, collector: CollectorContext) -> None:
    """Check, sign and keep WHEEL (taqyeem-X.Y.Z-py3-none-any.whl) as a release.

    The key must be the one of release_public_key in collector.toml. The wheel
    is copied to releases_dir (default: a releases folder beside the database).
    Adding it sends nothing: `taqyeem release rollout` does.

    Example:

        taqyeem release add dist/taqyeem-0.2.0-py3-none-any.whl --sign-key /root/taqyeem-release.key \\
            --config /etc/taqyeem/collector.toml
    """
    settings = collector.settings_without_broker  # adding sends nothing: no broker needed
    row, new = add_release(
        collector.store,
        wheel,
        sign_key,
        public_key=settings.release_public_key,
        releases_dir=settings.releases_path(),
        actor=actor(),
        now=now(),
    )
    if not new:
        click.echo(f"release {row['version']} is already there with these bytes (added {row['added_at']}).")
        return
    click.echo(f"added release {row['version']}: {row['size']} bytes, sha256 {row['sha256']}, signed.")
    click.echo(f"Next: taqyeem release rollout {row['version']} --desk SITE/DESK (one desk first).")


@release.command("list")
@db_options
@one_line_errors
def release_list(collector: CollectorContext) -> None:
    """Each release, newest first: how many tablets run it, how many should, and where it is rolled out.

    Example:

        taqyeem release list --config /etc/taqyeem/collector.toml
    """
    overview = release_overview(collector.store)
    if not overview:
        click.echo("no releases yet; add one with `taqyeem release add WHEEL --sign-key KEY`")
        return
    click.echo(f"{'version':<14} {'running':>7} {'desired':>7}  {'added':<24} {'by':<16} targets")
    for item in overview:
        targets = ", ".join(t["place"] for t in item["targets"]) or "-"
        click.echo(
            f"{item['version']:<14} {item['running']:>7} {item['desired']:>7}  {item['added_at']:<24} "
            f"{item['added_by']:<16} {targets}"
        )


def _report(changes: list[Change]) -> None:
    for change in changes:
        wanted = change.version or "no release (keeps what it runs)"
        click.echo(f"sent device {change.device_id} its config: {wanted}")
    if not changes:
        click.echo("no tablet's config changed: they have this release already, or a narrower target decides for them")


@release.command("rollout")
@click.argument("version")
@_target_options
@click.option("--skip-stages", is_flag=True, help="Skip the desk -> site -> fleet order (an urgent fix).")
@collector_options
@one_line_errors
def release_rollout(
    version: str, desk: str | None, site: str | None, fleet: bool, skip_stages: bool, collector: CollectorContext
) -> None:
    """Want VERSION at one desk, one site or every desk, and send the tablets concerned their config.

    A desk's target wins over its site's, a site's over the fleet's. Unless
    --skip-stages, a site needs a tablet that already runs VERSION and the fleet
    a site whose every tablet does. Needs tablet_url in collector.toml.

    Example:

        taqyeem release rollout 0.2.0 --desk riyadh-hq/desk-12 --config /etc/taqyeem/collector.toml
    """
    place = Place.parse(desk, site, fleet)
    settings = collector.settings_without_broker
    store, publisher = collector.store, collector.publisher_on_first_publish()
    changes = rollout(
        store,
        publisher,
        place=place,
        version=version,
        tablet_url=settings.tablet_url,
        actor=actor(),
        now=now(),
        skip_stages=skip_stages,
    )
    click.echo(f"release {version} rolled out to {place.describe()}.")
    _report(changes)


@release.command("stop")
@_target_options
@collector_options
@one_line_errors
def release_stop(desk: str | None, site: str | None, fleet: bool, collector: CollectorContext) -> None:
    """Clear the release target of a desk, a site or the fleet; its tablets follow the next wider one.

    A tablet no target names keeps the version it runs (nothing is rolled back).

    Example:

        taqyeem release stop --site riyadh-hq --config /etc/taqyeem/collector.toml
    """
    place = Place.parse(desk, site, fleet)
    store, publisher = collector.store, collector.publisher_on_first_publish()
    changes = stop(store, publisher, place=place, actor=actor(), now=now())
    click.echo(f"stopped the release target of {place.describe()}.")
    _report(changes)
