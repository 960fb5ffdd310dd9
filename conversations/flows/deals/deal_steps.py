"""One step of a deal, from its card or a notice: accept the terms (the PDF first), pay, ship
with carrier and reference, update the shipment, confirm delivery, report measured quality,
answer a price adjustment, dispute, cancel. Every rule and check is the core service's."""

from __future__ import annotations

from typing import Any

from conversations import confirmations, form_runner
from conversations.flow import Ask, Ctx, Flow, FormState, Next
from conversations.flows import deal_billing
from conversations.flows.deals import inspected_quality
from conversations.flows.deals.deal_step_forms import (
    _adjustment_text,
    _change_form,
    _changed,
    _dispute_form,
    _disputed,
    _quality_form,
    _reported,
    _ship_form,
    _shipped,
    _update_form,
    _updated,
)
from conversations.flows.deals.deal_step_state import DealStep
from conversations.messages import Button, Choice, FileReply, Inbound, Outbound, Reply, go, rows
from core.deals import deals, pay_terms, sale_vat
from core.deals import views as deal_views
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.carbon_receipt import carbon_receipt_pdf
from core.deals.attachments import terms_file
from core.deals.facts import TermsFacts
from core.deals.intents import DealIntent
from core.deals.rules import ShipmentStatus
from core.deals.terms import service as terms
from core.deals.terms.service import terms_ref
from core.i18n import N_, _
from core.ids import parse_id
from core.notifications.outbox import delivered_to_chat
from core.process.deals import DEAL_PROCESS, DealState

# A step is named as the deal's process names it (core.process.deals); buttons sent before the
# steps that keep the state were declared there still carry their old names.
FORMERLY = {"accept-terms": "sign-terms", "update": "update-shipment", "pay-invoice": "pay"}
FORMS = {"mark-shipped": "ship", "update-shipment": "update", "report-quality": "quality",
         "dispute": "dispute", "change-terms": "change"}
CONFIRM = {"confirm-receipt": N_("✅ Yes: the goods arrived as agreed (this releases the payment)"),
           "mark-delivered": N_("📬 Yes: the goods were delivered"),
           "accept-adjustment": N_("✅ Accept the adjustment (the buyer is refunded that much)"),
           "reject-adjustment": N_("⚖ Reject it (an admin decides)"),
           "cancel-deal": N_("✖ Yes, cancel the deal")}


async def _start(ctx: Ctx) -> Next | None:
    """`DEAL:STEP`: opens the step's question, or does what needs no question."""
    number, __, step = str(ctx.data.get("args") or "").partition(":")
    step, deal_id = FORMERLY.get(step, step), parse_id(number)
    if deal_id is None or step not in ({"sign-terms", "terms", "carbon", "pay"} | set(FORMS)
                                       | set(CONFIRM)):
        return Next.end(Reply(_("Open the deal's steps from its card (/deals)."), kind="error"))
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account_id)
    state = DealStep.of(ctx)
    state.deal_id, state.step = deal_id, step
    if step == "pay":
        return await _pay(ctx)
    if step == "sign-terms" and DEAL_PROCESS.allows(step, view.deal.status, view.role) \
            and await deal_billing.needed(ctx):
        state.charges = view.deal.seller_id == ctx.account_id  # only a seller's VAT rate
        deal_billing.seed(ctx, "billing")
        return Next(state="billing", remember=False)
    if step in ("sign-terms", "terms", "carbon"):
        return Next(state="terms", remember=False)
    if step in FORMS:
        body = view.terms.body if view.terms is not None else {}
        if step == "report-quality":
            state.specs = [s["name"] for s in body.get("quality") or []]
            if view.role == "buyer" and await inspected_quality.delivered(ctx, deal_id):
                return Next(state="inspected", remember=False)  # the inspector's figures first
        if step == "change-terms":
            known = {k: body.get(k) for k in terms.CHANGEABLE if body.get(k)}
            method = str(body.get("payment_method") or "")
            state.on_terms = [method] if pay_terms.net_days(method) else []
            form_runner.seed(ctx, "change", known)
        return Next(state=FORMS[step], remember=False)
    return Next(state="confirm", remember=False)


async def _pay(ctx: Ctx) -> Next:
    """Hand over to the payment flow with the deal's escrow."""
    assert ctx.services.payments is not None
    escrow = await ctx.services.payments.by_reference(deals.reference(DealStep.of(ctx).deal_id),
                                                      ctx.uow)
    if escrow is None:
        return Next.end(Reply(_("Payment opens once both parties have accepted the terms.")),
                        menu=False)
    return Next(state=None, start="pay", start_data={"args": str(escrow.id)}, show_menu=False)


async def _billed(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Billing details kept; on to the terms."""
    await deal_billing.save(ctx, values)
    return Next(state="terms", remember=False, replies=[Reply(_("✅ Billing details saved."))])


async def _terms_prompt(ctx: Ctx) -> list[Outbound]:
    state = DealStep.of(ctx)
    if state.step == "carbon":
        pdf = await carbon_receipt_pdf(ctx.uow, state.deal_id, ctx.account_id)
        return [FileReply(f"agora-deal-{state.deal_id}-carbon.pdf", pdf, "application/pdf",
                          _("🌱 Carbon receipt")),
                Reply(_("Your carbon receipt."), rows((_("✔ Done"), "done")))]
    view = await deal_views.deal_view(ctx.uow, state.deal_id, ctx.account_id)
    if view.terms is None:
        return [Reply(_("This deal has no terms yet."), rows((_("✔ Done"), "done")))]
    accepted = view.terms.buyer_accepted_at if view.role == "buyer" else view.terms.seller_accepted_at
    if state.step == "terms" or accepted \
            or not DEAL_PROCESS.allows("sign-terms", view.deal.status, view.role):
        note = _("You accepted this version.") if accepted else _("The frozen terms of the deal.")
        return [await _terms_pdf(ctx, view.terms), Reply(note, rows((_("✔ Done"), "done")))]
    state.sha256 = view.terms.sha256
    # Each chat gets a document once: when the deal's notice brought it here, point at it.
    shown = await delivered_to_chat(ctx.uow, ctx.env.channel, ctx.env.chat_id,
                                    terms_ref(view.terms.id))
    text = _("Read the terms sent to this chat with the deal's notice (SHA-256 {sha256}…), version "
             "{version}. Accepting records who, when and this fingerprint; an accepted version "
             "never changes.", sha256=view.terms.sha256[:12], version=view.terms.version) if shown \
        else _("Read the terms above, version {version}. Accepting records who, when and this "
               "fingerprint; an accepted version never changes.", version=view.terms.version)
    text += "\n\n" + await sale_vat.terms_note(ctx.uow, view.deal)
    return [*([] if shown else [await _terms_pdf(ctx, view.terms)]), Reply(
        text,
        rows((_("✅ Accept version {version}", version=view.terms.version), "accept"),
             (_("Not now"), "done")))]


async def _terms_pdf(ctx: Ctx, version: TermsFacts) -> FileReply:
    file = await terms_file(ctx.uow, version.id)
    return FileReply(file.file_name, file.content, file.mime_type,
                     caption=_("Terms v{version} · SHA-256 {sha256}", version=version.version,
                               sha256=version.sha256))


async def _on_terms(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    state = DealStep.of(ctx)
    if not (isinstance(msg, Choice) and msg.data == "accept" and state.sha256):
        return Next.end(menu=False)
    deal = await terms.accept_as_party(ctx.uow, state.deal_id, ctx.account.id, state.sha256)
    said = confirmations.terms_accepted(deal.status, deal.buyer_id == ctx.account.id)
    pay = ((Button(_("💳 Pay"), go("deal_step", deal.deal_id, "pay")),),) \
        if deal.status == DealState.AWAITING_PAYMENT and deal.buyer_id == ctx.account.id else ()
    return Next.end(Reply(said.text, pay), menu=False)


async def _confirm_prompt(ctx: Ctx) -> list[Outbound]:
    state = DealStep.of(ctx)
    step, deal_id = state.step, state.deal_id
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account_id)
    extra = ""
    if step in ("accept-adjustment", "reject-adjustment") and view.quality is not None:
        extra = "\n" + _adjustment_text(view)
    options = [(_(CONFIRM[step]), "yes")]
    if step == "accept-adjustment":
        options.append((_(CONFIRM["reject-adjustment"]), "reject"))
    return [Reply(_("Deal #{id}: {title}.", id=view.deal.id, title=view.title) + extra,
                  rows(*options, (_("Not now"), "no")))]


async def _on_confirm(ctx: Ctx, msg: Inbound) -> Next:
    """Take the step (guarded in core: a double tap moves it once)."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data not in ("yes", "reject"):
        return Next.end(Reply(_("Nothing changed.")), menu=False)
    state = DealStep.of(ctx)
    step, deal_id = state.step, state.deal_id
    if step in ("accept-adjustment", "reject-adjustment"):
        await quality_report.answer(ctx.uow, deal_id, ctx.account.id,
                                    accept=step == "accept-adjustment" and data == "yes")
    elif step == "mark-delivered" and (await deal_views.deal_view(
            ctx.uow, deal_id, ctx.account.id)).role == "seller":
        await after_sale.update_shipment(ctx.uow, deal_id, ctx.account.id, ShipmentStatus.DELIVERED)
    else:
        await deals.take(ctx.uow, deal_id, step, ctx.account.id)
    return Next.end(Reply(confirmations.step_taken().text), menu=False)


deal_step = Flow(
    name="deal_step", title=N_("a deal step"), first="confirm", on_start=_start,
    state_model=DealStep,
    intents={DealIntent.DEAL_STEP: "{arg}"},
    help=N_("A step of your deal. Cancel leaves the deal as it was."),
    states={"terms": Ask(prompt=_terms_prompt, on=_on_terms),
            "confirm": Ask(prompt=_confirm_prompt, on=_on_confirm),
            "billing": FormState(form=lambda ctx: deal_billing.billing_form(
                                     charges=DealStep.of(ctx).charges), done=_billed,
                                 intro=deal_billing.INTRO),
            "ship": FormState(form=_ship_form, done=_shipped),
            "update": FormState(form=_update_form, done=_updated),
            "quality": FormState(form=_quality_form, done=_reported),
            "inspected": Ask(prompt=inspected_quality.prompt, on=inspected_quality.on_answer),
            "dispute": FormState(form=_dispute_form, done=_disputed),
            "change": FormState(form=_change_form, done=_changed)},
)
