"""The expert pool (专家库); see ``docs/registry.md``."""
