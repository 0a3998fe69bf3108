"""Taqyeem desk device: the durable outbox, the MQTT link and the kiosk."""

from device.updates.version import running_version

# The version actually running: a release in a slot of the releases folder, or the base install.
__version__ = running_version()
