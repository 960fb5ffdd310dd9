"""A card saved with Stripe for a later authorisation, with the real SDK against localstripe:
a setup-mode Checkout Session for a Customer, the SetupIntent's webhook marks it saved (once),
then an off-session manual-capture PaymentIntent authorises the session, captured or voided
as usual; Stripe's 4000 0000 0000 0341 is saved and then declined."""

from __future__ import annotations

from core.money.model import Money
from payments.tables import Escrow
from tests.payments.helpers import ADMIN, BUYER, people, spy_events
from tests.payments.test_stripe import charge_id

REF = "booking:s41"


async def ask_to_save(world, reference=REF):
    buyer, consultant = await people(world.app)
    saved = await world.app.payments.save_method(reference, buyer, BUYER)
    return saved, buyer, consultant


async def browser_saves(world, card="4242424242424242"):
    """What Stripe's hosted setup page does: the card attached to the session's Customer and
    its SetupIntent (carrying the session's metadata) confirmed with it."""
    form = world.fake.sessions[-1]["form"]
    method = await world.client.v1.payment_methods.create_async({"type": "card", "card": {
        "number": card, "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
    await world.client.v1.payment_methods.attach_async(method.id, {"customer": form["customer"]})
    setup = await world.client.v1.setup_intents.create_async({
        "customer": form["customer"], "usage": "off_session", "payment_method_types": ["card"],
        "metadata": {"save_token": form["setup_intent_data[metadata][save_token]"],
                     "reference": form["setup_intent_data[metadata][reference]"]}})
    setup = await world.client.v1.setup_intents.confirm_async(setup.id,
                                                              {"payment_method": method.id})
    assert setup.status == "succeeded"
    return {**setup.to_dict(), "payment_method": method.id}


async def saved_and_opened(world, card="4242424242424242", amount=8_000):
    saved, buyer, consultant = await ask_to_save(world)
    setup = await browser_saves(world, card)
    assert (await world.deliver("setup_intent.succeeded", setup)).status_code == 200
    escrow = await world.app.payments.open("session", "consulting", REF, buyer, consultant,
                                           Money(amount, "EUR"), BUYER)
    return saved, escrow


async def test_saving_a_card_opens_a_setup_mode_checkout_for_a_customer(stripe_world):
    saved, buyer, _ = await ask_to_save(stripe_world)
    form = stripe_world.fake.sessions[-1]["form"]
    assert form["mode"] == "setup" and form["customer"].startswith("cus_")
    assert form["setup_intent_data[metadata][reference]"] == REF
    assert form["payment_method_types[0]"] == "card" and "line_items" not in str(form)
    assert saved.state == "awaiting_method" and saved.save_url.startswith("https://checkout.")
    customer = await stripe_world.client.v1.customers.retrieve_async(form["customer"])
    assert customer.metadata["agora_account"] == str(buyer)
    again = await stripe_world.app.payments.save_method("booking:s42", buyer, BUYER)
    assert stripe_world.fake.sessions[-1]["form"]["customer"] == form["customer"]  # reused
    assert again.id != saved.id


async def test_the_setup_webhook_saves_the_card_once_however_often_it_comes(stripe_world):
    await ask_to_save(stripe_world)
    seen = spy_events(stripe_world.app)
    setup = await browser_saves(stripe_world)
    first = await stripe_world.deliver("setup_intent.succeeded", setup, event_id="evt_setup")
    replay = await stripe_world.deliver("setup_intent.succeeded", setup, event_id="evt_setup")
    other = await stripe_world.deliver("setup_intent.succeeded", setup)  # a second delivery id
    assert first.status_code == 200 and replay.json() == {"duplicate": True}
    assert other.status_code == 200
    after = await stripe_world.app.payments.saved_method(REF)
    assert after.state == "saved"
    assert [type(e).__name__ for e in seen].count("MethodSaved") == 1


async def test_an_off_session_authorisation_is_captured_with_amount_to_capture(stripe_world):
    _, escrow = await saved_and_opened(stripe_world)
    outcome = await stripe_world.app.payments.authorise_saved(escrow.id, ADMIN)
    assert outcome.declined is None and outcome.escrow.state == "authorised"
    intent_id = await _intent_of(stripe_world, escrow.id)
    intent = await stripe_world.intent(intent_id)
    assert (intent["status"], intent["capture_method"], intent["amount"]) == (
        "requires_capture", "manual", 8_000)
    assert intent["customer"].startswith("cus_") and intent["metadata"]["reference"] == REF
    # Stripe's own word on the authorisation arriving later changes nothing.
    await stripe_world.deliver("payment_intent.amount_capturable_updated", intent)
    captured = await stripe_world.app.payments.capture(escrow.id, Money(5_000, "EUR"), ADMIN)
    assert captured.state == "captured"
    charge = await stripe_world.client.v1.charges.retrieve_async(
        charge_id(await stripe_world.intent(intent_id)))
    assert (charge.captured, charge.amount - charge.amount_refunded) == (True, 5_000)


async def test_an_off_session_authorisation_is_voided_by_cancelling_it(stripe_world):
    _, escrow = await saved_and_opened(stripe_world)
    await stripe_world.app.payments.authorise_saved(escrow.id, ADMIN)
    assert (await stripe_world.app.payments.void(escrow.id, ADMIN)).state == "voided"
    intent = await stripe_world.intent(await _intent_of(stripe_world, escrow.id))
    assert intent["status"] == "canceled"


async def test_the_card_stripe_attaches_but_declines_later_is_declined_off_session(
        stripe_world):
    _, escrow = await saved_and_opened(stripe_world, card="4000000000000341")
    assert (await stripe_world.app.payments.saved_method(REF)).state == "saved"
    outcome = await stripe_world.app.payments.authorise_saved(escrow.id, ADMIN)
    assert outcome.declined and "declined" in outcome.declined
    assert outcome.escrow.state == "awaiting_authorisation"
    assert (await stripe_world.app.payments.saved_method(REF)).state == "declined"


async def _intent_of(world, escrow_id):
    async with world.app.uow() as uow:
        return (await uow.session.get(Escrow, escrow_id)).provider_ref


async def test_a_retainers_card_is_charged_each_month_off_session_and_stays_saved(stripe_world):
    """A retainer's month: an automatic-capture PaymentIntent off-session on the card saved
    under `retainer:…`, which stays saved for the next month; asked twice, charged once."""
    __, buyer, consultant = await ask_to_save(stripe_world, "retainer:s7")
    setup = await browser_saves(stripe_world)
    assert (await stripe_world.deliver("setup_intent.succeeded", setup)).status_code == 200
    payments = stripe_world.app.payments
    for month in (1, 2):
        escrow = await payments.open("package", "consulting", f"package:s7{month}", buyer,
                                     consultant, Money(21_600, "EUR"), BUYER)
        outcome = await payments.charge_saved(escrow.id, "retainer:s7", ADMIN)
        again = await payments.charge_saved(escrow.id, "retainer:s7", ADMIN)
        assert outcome.declined is None and outcome.escrow.state == "held"
        assert again.escrow.state == "held"
        intent = await stripe_world.intent(await _intent_of(stripe_world, escrow.id))
        assert (intent["status"], intent["amount"]) == ("succeeded", 21_600)
        assert intent["capture_method"].startswith("automatic")  # captured at once
        assert intent["metadata"]["reference"] == f"package:s7{month}"
    assert (await payments.saved_method("retainer:s7")).state == "saved"


async def test_a_retainers_card_declined_at_renewal_leaves_the_month_to_pay(stripe_world):
    __, buyer, consultant = await ask_to_save(stripe_world, "retainer:s8")
    setup = await browser_saves(stripe_world, "4000000000000341")
    assert (await stripe_world.deliver("setup_intent.succeeded", setup)).status_code == 200
    escrow = await stripe_world.app.payments.open("package", "consulting", "package:s81", buyer,
                                                  consultant, Money(21_600, "EUR"), BUYER)
    outcome = await stripe_world.app.payments.charge_saved(escrow.id, "retainer:s8", ADMIN)
    assert outcome.declined and outcome.escrow.state == "awaiting_payment"
