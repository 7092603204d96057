"""The joint punishment list (联合惩戒, seed article 19) and credit repair (信用修复)."""
