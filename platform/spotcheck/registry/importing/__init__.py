"""Bulk import (批量导入, seed article 10): CSV and Excel files read as streams, every row checked by
the directory's own validator, then all written or none. See ``docs/import.md``."""
