"""Framework contracts: the same frozen terms delivered in scheduled call-offs, each an
ordinary deal; opening one when its offer is accepted and calling each delivery off
(`service`), with the contracts' table. Below core.deals.offers, whose acceptance opens
a contract; what reads offers or deal cards stays at the top of core.deals, above both:
the contract's card (`contract_card`), its periodic work (`contract_due`) and its
notices (`notices.contracts`). The schedule's rules are core.deals.call_offs, which
core.deals.rules reads."""
