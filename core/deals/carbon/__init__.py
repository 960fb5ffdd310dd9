"""Carbon tracked over time: a record per completed deal (the figure its carbon receipt shows,
with the method), a member's running totals, and the yearly carbon statement."""
