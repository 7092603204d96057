"""Exports of the directories (CSV and Excel, streamed, formula injection defused) and the
downloadable Excel import templates with drop-down lists. See ``docs/import.md``."""
