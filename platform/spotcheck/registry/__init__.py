"""The directories of "one list, two directories" (一单两库, seed articles 9 and 10).

The district's areas and the national industry classification they refer to, the target directory
(检查对象名录库) and, beside them, the item lists, the inspector directory and the expert pool.
See ``docs/registry.md``.
"""
