"""Follow-up of findings (seed article 17): orders of correction, transfers, cases, referrals."""
