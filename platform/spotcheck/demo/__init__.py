"""Demo data for a newcomer's machine: departments, one account per role, a realistic directory
of the district (areas, targets, item lists, inspectors, experts), and a year of joint plans with
their work plans and draws.

``spotcheck demo load`` (run by ``make run``) loads it all; ``data/chengdong-areas.json`` is a
byte-identical copy of the shared area list (sub-districts, towns and their communities).
"""
