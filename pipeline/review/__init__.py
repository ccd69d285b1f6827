"""Review: the HTML report a person reads, and the verdicts they send back."""
