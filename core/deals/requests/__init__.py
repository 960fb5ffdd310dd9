"""Requests for supply: a buyer asks (`service`, and whom a request reaches: `reach`), the
matching sellers quote (offers tied to the request: `quotes`) and the buyer awards; sealed
tenders and reverse auctions, their close and award (`auctions`, `auction_rules`,
`auction_close`, `awarding`) on the storage they ask (`register`), bid deposits
(`bid_deposits`) and bids waiting for one (`pending_bids`), the sellers' questions
(`questions`), the operators' desk (`desk`), the read models (`view`), the price records a
close leaves (`price_records`) and what each tells (`notices`), with their tables. Above
core.deals.offers, through which quotes are made and awarded; what an offer's
acceptance needs of a request stays below offers, at the top of core.deals: the
request's rules (`request_rules`), the award (`request_award`) and the requests'
table (`supply_requests`, in core.deals.tables)."""
