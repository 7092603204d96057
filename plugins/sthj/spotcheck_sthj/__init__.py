"""The ecology and environment branch (生态环境分局, STHJ) as a spotcheck department plugin."""
