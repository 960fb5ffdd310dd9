"""The Telegram Mini App at /app: Agora inside Telegram, opened from the bot's menu
button and signed in by the `initData` Telegram hands it (`auth`), with no login or cookie of its
own. Its shell loads server-rendered screens: those that only read in `screens` (which installs
the app's routes), those that act in `actions`, a person's bookings in `bookings`, a deal and
its steps in `deal_room` (its own PDFs by a signed link, `documents`), all sent the same way
(`views`). It reuses the public site's search, cards and map (`bots.web.site`); the
site never imports it."""
