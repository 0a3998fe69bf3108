"""The collector's web app and JSON API (FastAPI)."""
