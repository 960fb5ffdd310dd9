"""Threads: the conversation of one buyer with one listing's seller (later the deal's
thread), relayed to the other party on their own channel, with contact details masked
until a deal is agreed (`service`), its storage (`correspondence`), and its tables."""
