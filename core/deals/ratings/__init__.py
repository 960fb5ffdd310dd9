"""Ratings and reputation: which of a deal's double-blind ratings are visible and the
reputation they make (`service`, on its `scoreboard`), the Bayesian average behind it (`reputation`, which
consultants' reviews use too), and the ratings' table. Below core.deals.deals, which
publishes a deal's ratings when its rating window closes; giving a rating is an
after-sale step (core.deals.after_sale)."""
