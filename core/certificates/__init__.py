"""A seller's certificates (ENplus, SBP, ISCC EU…), kept once on the profile — the company's,
or the member's own without one — and claimed by listings."""
