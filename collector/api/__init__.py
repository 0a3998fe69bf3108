"""The collector's JSON API (``/api/v1`` and ``/healthz``): one router per resource in ``collector.api.routes``.

Its routes take the store and the caller's identity from collector.access, and
the rules from collector.reviews.rules, collector.reviews.workflow, collector.reports.daily and
collector.reports.maths. It may not import collector.web (the pages), not even inside
a function: tests/collector/test_layout.py checks it. collector.app puts both on one app.
"""
