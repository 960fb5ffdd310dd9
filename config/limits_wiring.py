"""Which send limiter the dispatcher uses: shared through Redis when `AGORA_REDIS_URL` is set
(several workers), in this process otherwise (one worker)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from config.settings import Settings
from core.notifications.ratelimit import DEFAULT_RATES, Limiter, Rate, SendLimiter


def send_limiter(settings: Settings) -> Limiter:
    """Redis holds the limits when it is configured: a deployment sets it to run several workers."""
    rates = {**DEFAULT_RATES, "email": email_rate(settings),
             **{chat: replace(DEFAULT_RATES[chat], per_chat_per_second=settings.chat_sends_per_second)
                for chat in ("telegram", "slack")}}
    if not settings.redis_url:
        return SendLimiter(rates)
    from core.notifications.shared_limits import RedisSendLimiter  # only with Redis configured

    return RedisSendLimiter(settings.redis_url, bot_identities(settings), rates)


def email_rate(settings: Settings) -> Rate:
    """The mail relay's pace (per worker), up to a second's worth at once: a burst of
    registrations must not queue verification codes behind each other."""
    return Rate(settings.smtp_per_second, 5, burst=max(1, int(settings.smtp_per_second)))


def bot_identities(settings: Settings) -> dict[str, str]:
    """Who sends on each channel, as the limits count it: the limits are a bot's (Telegram) or an
    app's in a workspace (Slack), so two bots sharing one Redis keep two budgets.

    Telegram: a token is `<bot id>:<secret>`; the bot id is public and names the bot. Slack: a
    bot token belongs to one app in one workspace but is secret, so the keys hold a short hash
    of it (with the team id when it is set, for reading). Never the secrets themselves."""
    bots = {}
    if token := settings.telegram_token:
        bot_id = token.split(":", 1)[0]
        bots["telegram"] = f"bot{bot_id}" if bot_id.isdigit() else _digest(token)
    if token := settings.slack_bot_token:
        bots["slack"] = "-".join(filter(None, (settings.slack_team_id, _digest(token))))
    return bots


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]
