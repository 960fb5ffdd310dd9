"""The tests' resolver of names for companies' webhooks (core.webhooks.addresses.NameResolver): a
table a test fills (`NAMES`), the name example.com's own public address for the documentation's
`erp.example.com`, and the system's resolver (bots.webhook_poster) for every other name, so
`localhost` resolves as it does on any machine and nothing leaves it."""

from __future__ import annotations

from bots.webhook_poster import SystemResolver


class Names(SystemResolver):
    """Names from `table` first (a name a test repoints is looked up again each time)."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = {"erp.example.com": ["93.184.215.14"], **(table or {})}

    async def resolve(self, host: str, port: int) -> list[str]:
        if host in self.table:
            return list(self.table[host])
        return await super().resolve(host, port)
