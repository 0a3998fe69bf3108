"""The supervisors' web pages: Jinja2 templates, local CSS/JS and font, inline SVG charts."""
