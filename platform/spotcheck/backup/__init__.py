"""Backups of the database and the evidence files, and their restore (``spotcheck backup``,
``spotcheck restore``; docs/backup.md)."""
