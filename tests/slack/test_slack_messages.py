"""Buttons, DMs, the Home tab and outbox delivery on Slack, with user text kept inert."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import FileReply
from core.accounts.intents import AccountIntent
from core.accounts.tables import Account
from core.actions import Action
from core.notifications.outbox import notify
from core.notifications.tables import OutboxMessage
from tests.slack.conftest import SlackWorld, message_text
from tests.support.fake_slack import button_values
from tests.support.registration import last_code
from tests.support.two_channels import modal_defaults


async def _account_id(slack: SlackWorld) -> int:
    async with slack.app.uow() as uow:
        return (await uow.session.execute(select(Account.id))).scalar_one()


async def test_tapping_a_menu_button_runs_that_action_in_the_dm(slack: SlackWorld):
    await slack.register()
    await slack.user.command("menu")  # shown to Ann alone, where she typed it
    menu = await slack.fake.wait_for("chat.postEphemeral")
    profile = button_values(menu["blocks"])["👤 Profile"]

    response = await slack.user.click(profile)

    assert response.status_code == 200
    card = await slack.posted("Linked chats: slack")
    assert "Email: ann@example.com (not verified)" in message_text(card)


async def test_a_button_in_the_dm_opens_a_modal_and_a_hostile_name_is_posted_inert(
        slack: SlackWorld):
    await slack.register()
    await slack.user.command("profile")
    card = await slack.posted("Linked chats: slack")
    buttons = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    edit = next(e for e in buttons if e["text"]["text"] == "✏ Edit the profile")

    await slack.user.click(edit["value"], edit["action_id"])
    view = (await slack.fake.wait_for(
        "views.open", lambda p: "edit_profile" in p["view"]["private_metadata"]))["view"]
    fields = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert {"display_name", "company", "email", "roles", "country", "city", "phone"} <= set(fields)
    wrong = await slack.user.submit(view, {**modal_defaults(view), "phone": "12"})
    assert "A phone number has digits" in wrong.json()["errors"]["phone"]  # a seller's phone
    hostile = "<!channel> *bold* <https://evil.example|click> & co"
    response = await slack.user.submit(view, {**modal_defaults(view), "display_name": hostile,
                                              "phone": "+49 30 1234567"})

    assert response.content in (b"", b"{}")
    saved = await slack.posted("👤 &lt;!channel&gt; *bold* &lt;https://evil.example|click&gt; "
                               "&amp; co")
    assert "<!channel>" not in str(saved) and "<https://" not in str(saved)
    assert "Phone for invoices: +49 30 1234567" in message_text(saved)
    async with slack.app.uow() as uow:
        name = (await uow.session.execute(select(Account.display_name))).scalar_one()
    assert name == hostile


async def test_every_button_in_a_message_has_its_own_action_id(slack: SlackWorld):
    await slack.register()
    await slack.user.command("menu")

    card = await slack.fake.wait_for("chat.postEphemeral")

    ids = [e["action_id"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == len(set(ids)) > 5
    assert all(i.startswith("agora:") for i in ids)


async def test_a_file_sent_in_the_dm_reaches_the_engine_as_a_file(slack: SlackWorld):
    await slack.register()
    before = len(slack.fake.calls_to("chat.postMessage"))
    files = [{"id": "F0PDF", "name": "code.pdf", "mimetype": "application/pdf", "size": 1234}]

    await slack.user.dm("", subtype="file_share", files=files)

    answers = await slack.new_posts(before)
    assert "Please type the 6-digit code" in message_text(answers[0])


async def test_a_bots_own_messages_and_edits_are_ignored(slack: SlackWorld):
    await slack.register()
    before = len(slack.fake.calls_to("chat.postMessage"))

    await slack.user.dm("123456", subtype="message_changed")
    await slack.user.dm("123456", bot_id="B0OTHER")
    await slack.settle()

    assert len(slack.fake.calls_to("chat.postMessage")) == before


async def test_the_home_tab_shows_the_profile_and_menu_without_disturbing_the_conversation(
        slack: SlackWorld, mailbox):
    await slack.register()
    prompt = await slack.posted("6-digit code")
    resend = button_values(prompt["blocks"])["Send a new code"]

    await slack.user.open_home()

    home = await slack.fake.wait_for("views.publish")
    assert home["user_id"] == "U1ANN"
    text = message_text({"blocks": home["view"]["blocks"]})
    assert "Ann Bērziņa" in text and "(not verified)" in text and "Main menu" in text
    assert "Your wallet" in text
    assert button_values(home["view"]["blocks"])["👤 Profile"] == "@go:profile"
    await slack.user.click(resend)  # the DM's buttons are still current after the Home tab
    await slack.posted("A new code is on its way")
    await slack.user.dm(await last_code(slack.app, mailbox))
    await slack.posted("Email verified")


async def test_the_outbox_delivers_a_notification_to_the_slack_dm(slack: SlackWorld):
    await slack.register()
    await slack.channel.start()
    async with slack.app.uow() as uow:
        await notify(uow, await _account_id(slack), "Offer from <b>Eve</b> & co",
                     buttons=[[Action(AccountIntent.PROFILE, "👤 Profile")]], urgent=True)
        await uow.commit()

    await slack.app.dispatcher.run_once()

    sent = await slack.fake.wait_for("chat.postMessage", lambda p: "Offer" in p.get("text", ""))
    assert sent["channel"] == "U1ANN"
    assert sent["text"] == "Offer from &lt;b&gt;Eve&lt;/b&gt; &amp; co"
    assert button_values(sent["blocks"]) == {"👤 Profile": "@do:profile:"}


async def test_a_slack_api_error_leaves_the_notification_for_a_retry(slack: SlackWorld, clock):
    await slack.register()
    await slack.channel.start()
    async with slack.app.uow() as uow:
        await notify(uow, await _account_id(slack), "Your listing was approved", urgent=True)
        await uow.commit()
    slack.fake.fail_next("chat.postMessage", "ratelimited")

    await slack.app.dispatcher.run_once()

    async with slack.app.uow() as uow:
        row = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == "slack"))).scalar_one()
        assert (row.status, row.attempts) == ("pending", 1)
        assert "ratelimited" in (row.last_error or "")
    clock.advance(seconds=30)
    await slack.app.dispatcher.run_once()
    await slack.fake.wait_for("chat.postMessage", lambda p: "approved" in p.get("text", ""))


async def test_a_file_reply_is_uploaded_into_the_users_dm(slack: SlackWorld):
    await slack.channel.deliver("U1ANN", [FileReply("contract.pdf", b"%PDF-1.4 test",
                                                    "application/pdf", "Your contract")])

    completed = await slack.fake.wait_for("files.completeUploadExternal")
    assert completed["channel_id"] == "D1ANN"
    assert completed["initial_comment"] == "Your contract"
    assert list(slack.fake.uploads.values()) == [b"%PDF-1.4 test"]


async def test_a_consultants_home_tab_shows_the_metrics_chart_as_an_uploaded_slack_file(
        slack: SlackWorld, clock):
    from sqlalchemy import update

    from core.consulting.sessions import service as sessions
    from tests.consulting.session_support import act, book
    from tests.support.accounts import registered

    await slack.register()
    ann = await _account_id(slack)
    async with slack.app.uow() as uow:
        await uow.session.execute(update(Account).where(Account.id == ann)
                                  .values(roles=["consultant"]))
        await uow.commit()
    bob = (await registered(slack.app, "bob", roles=("buyer",))).id
    session_id = await book(slack.app, bob, ann)
    for party in (ann, bob):
        await act(slack.app, sessions.join, session_id, party)
    clock.advance(minutes=25)
    await act(slack.app, sessions.end, session_id, bob)

    await slack.user.open_home()
    await slack.fake.wait_for("views.publish")
    await slack.user.open_home()  # the same figures: the chart is not uploaded again
    await slack.settle()

    homes = slack.fake.calls_to("views.publish")
    assert len(homes) == 2
    images = [b for b in homes[-1]["view"]["blocks"] if b["type"] == "image"]
    assert len(images) == 1 and images[0]["alt_text"].startswith("Net earnings and sessions")
    file_id = images[0]["slack_file"]["id"]
    assert slack.fake.uploads[file_id].startswith(b"\x89PNG")
    assert len(slack.fake.calls_to("files.completeUploadExternal")) == 1
    assert "Sessions: 1 (1 paid), 25 minutes" in message_text({"blocks": homes[-1]["view"]["blocks"]})
