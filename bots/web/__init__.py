"""Agora on the web: server-rendered pages (Jinja2 templates, no build step, no JavaScript
needed) for the public site (`site/`), the operator console (`console/`) and the Telegram Mini
App (`mini_app/`), served by the same FastAPI app. What they share stays here: what a route may
ask for (`deps`), rendering (`pages`, with `templates/` and `static/`) and a page's language
(`language`), which the pay pages use too. Nothing here imports the three; of each other,
only the Mini App imports the site (its search, cards and map)."""
