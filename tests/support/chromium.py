"""Debian's Chromium as the pages' tests drive it through Playwright: where it is and how it is launched."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
