"""Visits and their single-use rating links."""
