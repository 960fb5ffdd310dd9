"""The main menu, by role. Entries for markets not built yet say so plainly."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.messages import Button, Reply

COMING_SOON = {  # `@soon:<key>` entries: the consultant market is not built yet
    "consultant": "The consultant profile",
    "consultants": "Finding a consultant",
}

_ROLE_ENTRIES = {
    "seller": [("➕ New listing", "@go:listing"), ("📦 My listings", "@go:mylistings"),
               ("📊 Market view", "@go:market")],
    "buyer": [("🔎 Search bioenergy", "@go:search"), ("🔔 Saved searches", "@go:saved"),
              ("⭐ Watchlist", "@go:watchlist")],
    "consultant": [("🎓 My consultant profile", "@soon:consultant")],
    "seeker": [("🧑‍💼 Find a consultant", "@soon:consultants")],
    "admin": [("🛡 Moderation queue", "@go:moderation")],
}


def main_menu(ctx: Ctx, suspended_title: str | None) -> Reply:
    """The menu for the user's roles, with “continue” when a flow was left half-way."""
    rows: list[tuple[Button, ...]] = []
    if suspended_title:
        rows.append((Button(f"↩ Continue: {suspended_title}", "@resume"),))
    if ctx.account is None:
        rows.append((Button("📝 Register", "@go:registration"), Button("🔗 Link an account",
                                                                        "@go:link")))
        return Reply("Welcome to Agora, the bioenergy and consulting marketplace in chat.",
                     tuple(rows))
    seen: set[str] = set()
    for role in ("seller", "buyer", "consultant", "seeker", "admin"):
        if role in ctx.roles:
            for label, data in _ROLE_ENTRIES[role]:
                if data not in seen:
                    seen.add(data)
                    rows.append((Button(label, data),))
    if ctx.account.email_verified_at is None:
        rows.append((Button("✉ Verify my email", "@go:verify_email"),))
    rows.append((Button("👤 Profile", "@go:profile"), Button("💼 Wallet", "@go:wallet")))
    rows.append((Button("🔔 Notifications", "@go:notifications"),))
    rows.append((Button("🔗 Link another chat", "@go:link"), Button("❓ Help", "@help")))
    name = ctx.account.display_name
    return Reply(f"Main menu — {name}, what would you like to do?", tuple(rows))
