"""The ``taqyeem`` command: one click group, thin wrappers around the collector's library.

One module per command group::

    serve.py       taqyeem collector           run the collector
    tokens.py      taqyeem token ...           API tokens
    users.py       taqyeem user ...            accounts of the web pages
    sites.py       taqyeem sites apply         sites, sections and desks from sites.toml
    employees.py   taqyeem employees ...       the employee registry: import, list, pin
    provision.py   taqyeem provision ...       desk tablets' accounts, configs and bundles
    devices.py     taqyeem devices list        the fleet view: silent tablets first, flags
    backup.py      taqyeem backup, restore     the collector database, copied safely
    rollups.py     taqyeem rollups rebuild     the reports' daily rollups, recomputed
    purge.py       taqyeem purge comments      comments past their retention, blanked
    reviews.py     taqyeem reviews ...         a review's owner, a supervisor away; approve a warning, decide an appeal
    releases.py    taqyeem release ...         the tablet's program: keygen, add, list, rollout, stop
    invocation.py  what they share: open_store (the one way to open the database),
                   actor() for the audit logs, one_line_errors
    context.py     CollectorContext: --config, --db and the broker options, resolved once
    options.py     options several commands share, each group handed over as one record

Library errors become ``click.ClickException`` so a person sees one line
saying what is wrong and what to do, never a traceback. These modules may
import any of the collector (``collector.service`` only inside the command
that runs it) and ``shared``; never ``device`` or ``devtools``: the simulated
desks are ``taqyeem-device simulate``.
"""

from __future__ import annotations

import click

from collector import __version__
from collector.cli.backup import backup, restore
from collector.cli.devices import devices
from collector.cli.employees import employees
from collector.cli.provision import provision
from collector.cli.purge import purge
from collector.cli.releases import release
from collector.cli.reviews import reviews
from collector.cli.rollups import rollups
from collector.cli.serve import collector
from collector.cli.sites import sites
from collector.cli.tokens import token
from collector.cli.users import user


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taqyeem")
def cli() -> None:
    """Taqyeem: visitor ratings from desk tablets to same-day review.

    Example:

        taqyeem collector --config /etc/taqyeem/collector.toml
    """


_COMMANDS = (
    collector, token, user, sites, employees, provision, devices, release, backup, restore, rollups, purge, reviews,
)  # fmt: skip
for _command in _COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="taqyeem")
