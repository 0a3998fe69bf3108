"""What every ``taqyeem-device`` command that reads the tablet's config shares: the ``--config``
option, which file it means on a tablet enrolled at first boot, and its settings as one-line errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from device.enrolment import ENROLLED_DIR, find_config
from device.enrolment import ETC_CONFIG as DEFAULT_CONFIG
from device.settings import DeviceSettings, SettingsError, load_device_settings

F = TypeVar("F", bound=Callable[..., Any])


def config_option(command: F) -> F:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path),
        default=DEFAULT_CONFIG,
        show_default=True,
        envvar="TAQYEEM_DEVICE_CONFIG",
        help="The tablet's device.toml (from its enrolment bundle)  [env TAQYEEM_DEVICE_CONFIG]",
    )(command)


def resolve_config(config_file: Path) -> Path | None:
    """The default /etc/taqyeem/device.toml, or when it is missing the enrolled one; None: not enrolled."""
    if config_file != DEFAULT_CONFIG or config_file.exists():
        return config_file
    return find_config(config_file, Path(os.environ.get("TAQYEEM_ENROLLED_DIR") or ENROLLED_DIR))


def settings_of(config_file: Path) -> DeviceSettings:
    try:
        return load_device_settings(resolve_config(config_file) or config_file)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
