"""Keeping the database: online backup and restore, the background integrity check, the comments' retention."""
