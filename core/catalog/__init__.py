"""The bioenergy catalogue: product taxonomy, listings, search, saved searches and alerts."""
