"""Money as the core sees it: amounts, commission rules, the payments port and its events."""
