"""The target directory (检查对象名录库): market entities, non-profit entities and non-market
targets, shared by the departments that supervise them (seed articles 4 and 10)."""
