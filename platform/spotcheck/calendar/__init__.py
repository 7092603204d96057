"""The working-day calendar: Chinese public holidays and make-up workdays, and deadlines counted in working days."""
