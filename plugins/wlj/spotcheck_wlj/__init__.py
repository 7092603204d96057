"""The culture and tourism bureau (文化和旅游局, WLJ) as a spotcheck department plugin."""
