"""The market regulation bureau (市场监督管理局, SCJG) as a spotcheck department plugin."""
