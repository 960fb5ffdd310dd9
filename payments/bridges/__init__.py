"""The bridges between core's processes and the money layer, one module per market object
(deals, bookings, sessions, promotions): each listens to its context's events and moves money
through the payments service, idempotently, after or inside the transaction as it says."""
