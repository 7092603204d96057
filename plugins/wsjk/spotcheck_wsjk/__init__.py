"""The health bureau (卫生健康局, WSJK) as a spotcheck department plugin."""
