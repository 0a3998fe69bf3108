"""Taqyeem collector: MQTT ingest into SQLite, reviews, alerts, the web app and the CLI."""

__version__ = "0.1.0"

# What only `pip install "taqyeem[collector]"` brings; a tablet's install (".[device]") lacks them.
_SERVER_PACKAGES = {
    "sqlite_utils",
    "fastapi",
    "uvicorn",
    "qrcode",
    "jinja2",
    "argon2",
    "multipart",
    "apprise",
    "hijridate",
}


def main() -> None:
    """The ``taqyeem`` command; on a tablet's install, one line saying what to install instead of a traceback."""
    try:
        from collector.cli import main as cli_main
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _SERVER_PACKAGES:
            raise
        raise SystemExit(
            f'Error: {exc.name} is not installed here; the collector needs: pip install "taqyeem[collector]"'
        ) from None
    cli_main()
