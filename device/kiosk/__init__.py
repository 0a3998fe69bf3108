"""The desk kiosk: a Kivy app a visitor can use in three seconds, Arabic first.

``flow`` decides (pure), ``root`` and ``screens`` translate to Kivy, ``app.run_kiosk``
starts it. Kivy is imported only by ``root``, ``screens``, ``widgets`` and inside
``run_kiosk``, so importing this package does not open a window or read Kivy's config.
"""
