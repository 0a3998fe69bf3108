"""Kivy widgets of the kiosk; their rules are in the .kv file beside each module."""
