"""The emergency management bureau (应急管理局, YJGL) as a spotcheck department plugin."""
