"""spotcheck: joint "double random, one public" spot checks for district market regulation."""

__version__ = "0.1.0"
