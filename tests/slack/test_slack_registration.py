"""Registering on Slack: `/agora` opens one modal, the DM carries the email code."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from core.accounts.tables import Account, Identity
from tests.slack.conftest import ANN, SlackWorld
from tests.support.languages import said
from tests.support.registration import last_code

REGISTRATION_FIELDS = ["display_name", "company", "email", "roles", "country", "city", "interests"]


async def test_the_agora_command_opens_the_registration_form_as_one_modal(slack: SlackWorld):
    view = await slack.open_registration()

    blocks = view["blocks"]
    assert [b["block_id"] for b in blocks] == REGISTRATION_FIELDS
    assert all(b["type"] == "input" for b in blocks)
    kinds = {b["block_id"]: b["element"]["type"] for b in blocks}
    assert kinds["email"] == "email_text_input"
    assert kinds["roles"] == "checkboxes"
    assert kinds["interests"] == "multi_static_select"
    assert kinds["country"] == "external_select"  # ~250 countries: found as one types
    optional = {b["block_id"] for b in blocks if b["optional"]}
    assert optional == {"company", "interests"}
    assert view["title"]["text"] == "Registration"
    assert view["submit"]["text"] == "Register"
    assert '"form_id": "registration"' in view["private_metadata"]


async def test_the_country_is_found_as_it_is_typed_in_any_language_and_shown_in_the_persons(
        slack: SlackWorld):
    slack.fake.locales[slack.user.user_id] = "pl-PL"
    view = await slack.open_registration()
    [country] = [b for b in view["blocks"] if b["block_id"] == "country"]
    offered = await slack.user.suggest(view, country, "Deutschland")
    assert (offered[0]["value"], offered[0]["text"]["text"]) == ("DE", "Niemcy")
    assert (await slack.user.suggest(view, country, "lv"))[0]["value"] == "LV"
    assert (await slack.user.suggest(view, country, "Suom"))[0]["value"] == "FI"
    assert (await slack.user.suggest(view, country, "Grmany"))[0]["value"] == "DE"  # a typo


async def test_the_country_picker_offers_only_real_countries_that_start_as_typed(
        slack: SlackWorld):
    view = await slack.open_registration()
    [country] = [b for b in view["blocks"] if b["block_id"] == "country"]
    offered = await slack.user.suggest(view, country, "Swed")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [("SE", "Sweden")]
    slack.fake.locales[slack.user.user_id] = "de-DE"
    slack.channel.locales.clear()
    offered = await slack.user.suggest(view, country, "Schw")
    assert [o["text"]["text"] for o in offered] == ["Schweden", "Schweiz"]


async def test_an_invalid_email_keeps_the_modal_open_with_the_error_under_the_field(
        slack: SlackWorld):
    view = await slack.open_registration()

    response = await slack.user.submit(view, {**ANN, "email": "ann-at-example"})

    assert response.status_code == 200
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["email"]
    assert "email address" in answer["errors"]["email"]
    async with slack.app.uow() as uow:
        assert (await uow.session.execute(select(Account))).first() is None


async def test_a_valid_modal_registers_and_the_code_typed_in_the_dm_verifies_the_email(
        slack: SlackWorld, mailbox):
    view = await slack.open_registration()

    response = await slack.user.submit(view, ANN)

    assert response.status_code == 200
    assert response.content in (b"", b"{}")  # an empty ack closes the modal
    await slack.posted("Welcome to Agora, Ann Bērziņa")
    await slack.posted("6-digit code to ann@example.com")
    async with slack.app.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        identity = (await uow.session.execute(select(Identity))).scalar_one()
        assert (account.display_name, account.company, account.country) == (
            "Ann Bērziņa", "Baltic Pellets SIA", "LV")
        assert set(account.roles) == {"seller", "buyer"}
        assert account.interests == ["pellets"]
        assert account.email_verified_at is None
        assert (identity.channel, identity.user_key, identity.address) == (
            "slack", "T0AGORA:U1ANN", "U1ANN")

    await slack.user.dm(await last_code(slack.app, mailbox))

    await slack.posted("Email verified")
    async with slack.app.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        assert account.email_verified_at is not None


async def test_a_member_whose_slack_is_polish_keeps_polish_on_the_account(slack: SlackWorld):
    """Slack's user locale (users.info with include_locale), asked once for the person, picks
    the language of the registration and is kept on the new account."""
    slack.fake.locales["U1ANN"] = "pl-PL"
    view = await slack.open_registration()
    assert view["title"]["text"] == said("pl", "Registration")[:24]
    await slack.user.submit(view, ANN)
    await slack.posted(said("pl", "Welcome to Agora, {name}! One more step: your email.",
                            name="Ann Bērziņa"))
    async with slack.app.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        assert account.language == "pl"
    asked = slack.fake.calls_to("users.info")
    assert len(asked) == 1 and asked[0]["include_locale"] in (True, "true", "1")


async def test_after_a_field_error_the_corrected_modal_registers(slack: SlackWorld):
    view = await slack.open_registration()
    errors = await slack.user.submit(view, {**ANN, "email": "ann-at-example"})
    assert errors.json()["response_action"] == "errors"

    response = await slack.user.submit(view, ANN)

    assert response.content in (b"", b"{}"), response.text
    await slack.posted("6-digit code")


async def test_a_new_user_writing_in_the_dm_gets_a_button_that_opens_the_form(slack: SlackWorld):
    await slack.user.dm("hello")

    posted = await slack.posted("Registration: tap the button")
    button = posted["blocks"][-1]["elements"][0]
    assert button["value"].endswith("|^form")

    await slack.user.click(button["value"], button["action_id"])

    view = (await slack.fake.wait_for("views.open"))["view"]
    assert [b["block_id"] for b in view["blocks"]] == REGISTRATION_FIELDS


async def test_when_slack_refuses_to_open_the_modal_an_open_form_button_is_posted(
        slack: SlackWorld):
    slack.fake.fail_next("views.open", "expired_trigger_id")

    await slack.user.command("")

    posted = await slack.posted("Registration: tap the button")
    assert posted["blocks"][-1]["elements"][0]["value"].endswith("|^form")


async def test_a_slow_answer_is_acknowledged_in_time_and_shown_in_the_same_modal(
        slack: SlackWorld, monkeypatch):
    """Slack drops an ack later than 3 s: past the budget the modal says it is checking, and
    the errors (or the close) arrive in it by views.update."""
    engine, handle = slack.app.engine, slack.app.engine.handle

    async def slow(env):
        await asyncio.sleep(0.3)
        return await handle(env)

    monkeypatch.setattr(engine, "handle", slow)
    monkeypatch.setattr(slack.channel, "ack_budget", 0.05)
    view = await slack.open_registration()

    answer = (await slack.user.submit(view, {**ANN, "email": "ann-at-example"})).json()

    assert answer["response_action"] == "update"
    assert "Checking your answers" in str(answer["view"]["blocks"][0])
    kept = [b["block_id"] for b in answer["view"]["blocks"] if b["type"] == "input"]
    assert kept == REGISTRATION_FIELDS
    shown = (await slack.fake.wait_for("views.update"))["view"]
    notes = [str(b) for b in shown["blocks"] if b["type"] == "context"]
    assert len(notes) == 1 and "email address" in notes[0]
    ids = [b.get("block_id") for b in shown["blocks"]]
    assert ids.index("email") + 1 == ids.index(None)  # the error sits under its field

    await slack.user.submit(view, ANN)
    await slack.posted("6-digit code")
    done = await slack.fake.wait_for("views.update", lambda p: "submit" not in p["view"])
    assert "answer is in your messages" in str(done["view"]["blocks"])
