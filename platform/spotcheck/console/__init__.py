"""The office console (seed articles 6 and 21): dashboards of the year's work, the assessment of
each department, and the progress report (工作通报) as .xlsx and PDF.

Nothing here is stored: every figure is computed from the records of planning, draws, inspections,
publication and follow-up, with one set-based query per figure (:mod:`.metrics`).
"""
