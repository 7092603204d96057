"""Demo data for a newcomer's machine: departments, one account per role, and a realistic
directory of the district (areas, targets, item lists, inspectors, experts).

``spotcheck demo load`` (run by ``make run``) loads it all; ``data/chengdong-areas.json`` is a
byte-identical copy of the shared area list (sub-districts, towns and their communities).
"""
