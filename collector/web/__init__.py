"""The supervisors' web pages: routes in ``collector.web.routes``, Jinja2 templates, local CSS/JS and font, SVG charts.

Pages take the store and the signed-in identity from collector.access and the
rules from collector.reviews.rules, collector.reviews.workflow, collector.reports.daily and
collector.reports.maths; they link to the JSON API only by URL (the CSV export). It may
not import collector.api, not even inside a function: tests/collector/test_layout.py
checks it. collector.app installs it with install_web (collector.web.setup).
"""
