"""Taqyeem desk device: the durable outbox, the MQTT link and the kiosk."""

__version__ = "0.1.0"
