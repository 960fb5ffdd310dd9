"""Support: tickets people open from any step (with where they were), operators' answers,
the first-answer deadline and its escalation, and ratings of the answer."""
