"""Annual joint plans (年度联合抽查计划), the February deadline and the office\x27s consolidation."""
