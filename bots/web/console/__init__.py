"""The operator console at /admin: Agora's staff, signed in by a one-time link the chat
sends, work the same desks the chat's operators do — moderation and disputes (`cases`),
support tickets, people, roles and the audit log, money, companies paying on terms, requests for
supply, the library and events — each route guarded by the operator's role (`auth`).
`dashboard` holds the sign-in and the dashboard, and its router gathers the other sections."""
