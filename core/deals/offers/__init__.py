"""Offers: each round of a negotiation on a listing and accepting one, which makes the
deal (`service`: what an offer proposes and how it reads in `facts`, its rows made and
closed in `rounds`, the deal agreed in `agreement`), and the spending limit a company
buyer's purchase meets (`spending`). Above the deal, its terms, a framework contract and a
request's award, which an acceptance makes; below purchase approvals and requests for
supply, which work through offers. The offers' table stays in core.deals.tables: a contract
and a request's award, below this package, read it."""
