"""Taqyeem collector: MQTT ingest into SQLite, reviews, alerts, the web app and the CLI."""

__version__ = "0.1.0"
