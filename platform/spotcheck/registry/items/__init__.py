"""The item lists (抽查事项清单): each department's items, versioned; see ``docs/registry.md``."""
