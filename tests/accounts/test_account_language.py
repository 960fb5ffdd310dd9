"""The language kept on an account is one Agora writes in: the use case on the accounts' book in
memory (its contract: tests/accounts/test_account_book_contract.py)."""

from __future__ import annotations

import pytest

from conversations.flows.all_flows import ALL_FLOWS
from core.accounts import service as accounts
from core.errors import NotAllowed
from tests.support.memory_engine import MemoryChat


async def test_an_account_keeps_a_language_agora_writes_in_and_refuses_another():
    chat = MemoryChat(ALL_FLOWS)
    ann = chat.turns.register("terminal", "ann", "Ann").id
    async with chat.uow() as uow:
        assert (await accounts.update_profile(uow, ann, language="lt")).language == "lt"
        with pytest.raises(NotAllowed):
            await accounts.update_profile(uow, ann, language="pt")
        with pytest.raises(NotAllowed):
            await accounts.update_profile(uow, ann, language="de-DE")
