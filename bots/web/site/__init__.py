"""The public site: the pages anyone may read, server-rendered and working without
JavaScript, each in its visitor's language — the home page, help, the market's prices, listings
with their search and map, requests for supply with their live standings, consultants, the
community's boards and events — and what hangs off them: “Open in Slack” (`slack`), the
bookings feed calendar apps subscribe to (`calendar_feed`), photos made safe to publish
(`public_media`). `home.router` gathers the pages; `bots.server` mounts it and the other two
routers beside it."""
