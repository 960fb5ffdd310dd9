"""Stripe Checkout offers only the ways the seller takes: the real SDK against the local fake,
asserting on the Checkout Session the fake received. A seller taking cards only gets no
bank-type method; one taking transfers only gets no Checkout at all (the card is refused, the
bank transfer works); one who chose nothing gets every configured method, as before."""

from __future__ import annotations

from conversations.messages import Choice
from core.accounts import member as members
from core.deals import accepted
from core.money.model import Money
from payments.providers.base import Charge
from payments.providers.stripe import StripeProvider
from payments.tables import Escrow, TransferAccount
from tests.payments.helpers import BUYER, people
from tests.support.accounts import registered
from tests.support.chat import ChatUser

CONFIGURED = ["card", "link", "sepa_debit", "customer_balance"]


def _methods(form):
    """The `payment_method_types` of a Checkout Session's form, in order."""
    return [form[f"payment_method_types[{i}]"] for i in range(len(form))
            if f"payment_method_types[{i}]" in form]


async def _opened(world, takes, reference, buyer_channel=None):
    """A deal's escrow opened on Stripe for a seller taking `takes` ([]: nothing chosen)."""
    world.app.payments.provider.payment_methods = list(CONFIGURED)
    buyer, seller = await people(world.app)
    if buyer_channel:
        buyer = (await registered(world.app, "ann", channel=buyer_channel)).id
    if takes:
        async with world.app.uow() as uow:
            await members.update(uow, seller, payment_methods=takes)
            await uow.commit()
    return await world.app.payments.open("goods", "bioenergy", reference, buyer, seller,
                                         Money(8_000, "EUR"), BUYER)


async def test_a_seller_taking_cards_only_is_paid_through_checkout_by_card_types_only(
        stripe_world):
    view = await _opened(stripe_world, ["card"], "deal:w1")
    [session] = stripe_world.fake.sessions
    assert _methods(session["form"]) == ["card", "link"]
    assert view.pay_url == session["url"]


async def test_a_seller_taking_transfers_only_gets_no_card_checkout_and_is_paid_by_transfer(
        stripe_world):
    view = await _opened(stripe_world, ["transfer"], "deal:w2")
    assert stripe_world.fake.sessions == [] and view.pay_url is None
    assert view.state == "awaiting_payment"
    token = await _token_of(stripe_world.app, view.id)
    card = await stripe_world.http.post(f"{stripe_world.agora_url}/pay/{token}",
                                        data={"card_number": "4242 4242 4242 4242"})
    assert card.status_code == 402
    assert "take that way to pay; they accept: Bank transfer" in card.text
    bob = ChatUser(stripe_world.app, "bob")  # the chat's payment step: the transfer offered
    await bob.send(Choice(f"@go:pay:{view.id}"))
    assert "Pay by bank transfer" in " ".join(bob.labels())
    await bob.say("4242 4242 4242 4242")
    assert "they accept: Bank transfer" in bob.texts()
    details = await stripe_world.app.payments.transfer_details(view.id, view.payer_id)
    async with stripe_world.app.uow() as uow:
        account = await uow.session.get(TransferAccount, view.id)
        customer, intent_id = account.customer_ref, account.provider_ref
    await stripe_world.bank_sends(customer, 8_000, details.bank_reference)
    paid = await stripe_world.intent(intent_id)
    assert paid["status"] == "succeeded"
    assert (await stripe_world.deliver("payment_intent.succeeded", paid)).status_code == 200
    assert (await stripe_world.app.payments.get(view.id)).state == "held"


async def test_in_chat_the_buyer_of_a_transfer_only_seller_is_offered_the_transfer_alone(
        stripe_world):
    view = await _opened(stripe_world, ["transfer"], "deal:w5", buyer_channel="web")
    ann = ChatUser(stripe_world.app, "ann", channel="web")  # opens links: no test card asked
    await ann.send(Choice(f"@go:pay:{view.id}"))
    assert [b.label for row in ann.last[-1].buttons for b in row] == ["🏦 Pay by bank transfer"]
    stripe_world.app.payments.provider.takes_transfers = False  # nor bank transfers here
    await ann.send(Choice(f"@go:pay:{view.id}"))
    assert "Pay" not in " ".join(b.label for row in ann.last[-1].buttons for b in row)
    assert "they accept: Bank transfer" in ann.last[-1].text


async def test_a_seller_who_chose_nothing_is_offered_every_configured_method(stripe_world):
    await _opened(stripe_world, [], "deal:w3")
    [session] = stripe_world.fake.sessions
    assert _methods(session["form"]) == CONFIGURED


def test_agoras_ways_map_onto_stripes_method_types():
    stripe = StripeProvider("sk_test_x", "https://agora.test", payment_methods=(
        "card", "link", "sepa_debit", "customer_balance", "paypal"))
    assert stripe.checkout_methods(None) == ["card", "link", "sepa_debit", "customer_balance",
                                             "paypal"]
    assert stripe.checkout_methods(("card",)) == ["card", "link"]
    assert stripe.checkout_methods(("transfer",)) == []  # the virtual IBAN's, not Checkout's
    assert stripe.checkout_methods(("card", "transfer", "crypto")) == ["card", "link"]
    assert stripe.checkout_methods(("crypto",)) == []


async def test_no_stripe_checkout_is_made_for_a_charge_in_no_way_it_offers():
    stripe = StripeProvider("sk_test_x", "https://agora.test", api_base="http://127.0.0.1:9")
    charge = Charge("goods", "deal:x", Money(100, "EUR"), "tok", None, None, ("transfer",))
    assert await stripe.checkout(charge) is None  # asked nothing: no server is listening


async def test_the_ways_a_seller_takes_are_read_for_goods_only(app):
    buyer, seller = await people(app)
    async with app.uow() as uow:
        assert await accepted.payee_ways(uow, "goods", seller) is None  # nothing chosen
        await members.update(uow, seller, payment_methods=["transfer", "card", "direct"])
        await uow.commit()
    async with app.uow() as uow:
        assert await accepted.payee_ways(uow, "goods", seller) == ("card", "transfer")
        assert await accepted.payee_ways(uow, "session", seller) is None
    view = await app.payments.open("goods", "bioenergy", "deal:w4", buyer, seller,
                                   Money(8_000, "EUR"), BUYER)
    assert view.pay_url and view.pay_url.endswith("/pay/" + await _token_of(app, view.id))


async def _token_of(app, escrow_id):
    async with app.uow() as uow:
        return (await uow.session.get(Escrow, escrow_id)).pay_token

