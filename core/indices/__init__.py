"""Agora's price indices at their ground: what each index is (`definitions`), the weekly values
stored and who follows them (`tables`), and the value a contract's call-off is priced from
(`reference`). What reads deals to compute them is core.market's (index_trades, index_publish),
so core.deals may price a call-off from an index without a circle."""
