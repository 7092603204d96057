"""The inspector directory (执法检查人员名录库); see ``docs/registry.md``."""
