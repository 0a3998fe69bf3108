"""Developer tools, not installed by either extra: the demo and the private mosquitto.

Run from the repository's root (``./dev.sh demo`` runs ``python -m devtools.demo``).
Only these tools and the tests may use both the collector and the device (the simulated desks,
`taqyeem-device simulate`, are device-side only).
"""
