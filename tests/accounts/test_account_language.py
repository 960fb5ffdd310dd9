"""The language kept on an account is one Agora writes in."""

from __future__ import annotations

import pytest

from core.accounts import service as accounts
from core.errors import NotAllowed
from tests.support.accounts import account_id, registered


async def test_an_account_keeps_a_language_agora_writes_in_and_refuses_another(app):
    await registered(app, "ann")
    ann = await account_id(app, "ann")
    async with app.uow() as uow:
        assert (await accounts.update_profile(uow, ann, language="lt")).language == "lt"
        with pytest.raises(NotAllowed):
            await accounts.update_profile(uow, ann, language="pt")
        with pytest.raises(NotAllowed):
            await accounts.update_profile(uow, ann, language="de-DE")
