"""Operators are the same in every process of one database: AGORA_ADMINS given to one process
(`agora serve`) is kept in the database, so another process started without it (`agora chat`)
lets the operator into the console and tells them of a new support ticket."""

from __future__ import annotations

from config.container import build
from config.settings import Settings
from core.operators import grants
from core.operators.roles import admin_ids, is_admin
from tests.support.accounts import registered
from tests.support.chat import ChatUser
from tests.tickets.helpers import opened, told


def _process(db_url: str, tmp_path, **settings: object):
    return build(Settings(database_url=db_url, environment="test",  # type: ignore[call-arg]
                          data_dir=str(tmp_path / "data"), **settings))


async def test_a_process_without_agora_admins_knows_the_operator_another_one_seeded(
        db_url, tmp_path):
    served = _process(db_url, tmp_path, admins=["terminal:root"])
    await served.seed_operators()
    await served.close()
    chat = _process(db_url, tmp_path)  # another process, no AGORA_ADMINS
    try:
        await chat.seed_operators()
        root = await registered(chat, "root")  # registers after the server named them
        ann = await registered(chat, "ann", roles=("seller",))
        rita = ChatUser(chat, "root")
        await rita.say("/console")
        assert "I've sent you a sign-in link for the operator console" in rita.texts()
        assert "/admin/login/" in (await told(chat, root.id, "sign-in link"))[0]["text"]
        await opened(chat, ann)
        assert await told(chat, root.id, "New support ticket")
    finally:
        await chat.close()


async def test_a_setting_adds_operators_and_a_process_without_it_takes_none_away(
        db_url, tmp_path):
    first = _process(db_url, tmp_path, admins=["terminal:root"])
    await first.seed_operators()
    await first.seed_operators()  # a second start (or worker) adds nothing twice
    await first.close()
    second = _process(db_url, tmp_path, admins=["slack:T1:U9"])
    try:
        await second.seed_operators()
        root = await registered(second, "root")
        ada = await registered(second, "T1:U9", channel="slack")
        eve = await registered(second, "eve")
        async with second.uow() as uow:
            assert await admin_ids(uow) == [root.id, ada.id]  # not eve
            assert not await is_admin(uow, eve.id)
    finally:
        await second.close()


async def test_the_servers_setting_is_the_whole_list_and_a_name_taken_out_loses_the_role(
        db_url, tmp_path):
    before = _process(db_url, tmp_path, admins=["terminal:root", "terminal:old"])
    await before.seed_operators(exactly=True)
    await before.close()
    after = _process(db_url, tmp_path, admins=["terminal:root"])  # the server restarted
    try:
        await after.seed_operators(exactly=True)
        root = await registered(after, "root")
        old = await registered(after, "old")
        async with after.uow() as uow:
            assert await is_admin(uow, root.id)
            assert not await is_admin(uow, old.id)
    finally:
        await after.close()


async def test_an_admin_granted_in_the_console_is_told_what_every_admin_is_told(db_url, tmp_path):
    """One list of admins: whoever may act as one (named, or granted) also hears admins' notices."""
    app = _process(db_url, tmp_path, admins=["terminal:root"])
    try:
        await app.seed_operators()
        root = await registered(app, "root")
        gail = await registered(app, "gail")
        async with app.uow() as uow:
            await grants.grant(uow, root.id, gail.id, "admin")
            await uow.commit()
        async with app.uow() as uow:
            assert await is_admin(uow, gail.id)
            assert await admin_ids(uow) == [root.id, gail.id]
    finally:
        await app.close()
