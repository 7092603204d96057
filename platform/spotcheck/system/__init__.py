"""The platform's own administration: the system settings page and backups (``spotcheck backup``)."""
