"""Session packages: a consultant's offer of a number of sessions of one length at one price,
valid for a while; a seeker buys one in a single payment and each booking of that length with
that consultant draws a session from it (core.consulting.packages.service)."""
