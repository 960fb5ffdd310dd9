"""The forms a deal step asks and what each answer does: ship with carrier and reference,
update the shipment, report measured quality, propose changed terms, open a dispute."""

from __future__ import annotations

from datetime import date
from typing import Any

from conversations import confirmations
from conversations.fields import ChoiceField, Field, TextField
from conversations.flow import Ctx, Next
from conversations.flows.deals import offer_fields
from conversations.flows.deals.deal_step_state import DealStep
from conversations.flows.market.amount_and_date_fields import AmountOfField, DateField
from conversations.forms import Form
from conversations.messages import Button, Reply, go
from conversations.number_and_date_fields import DecimalField
from core.deals import views as deal_views
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.quality_report import MEASURABLE
from core.deals.cards import adjustment_text, figure_name
from core.deals.rules import ShipmentStatus
from core.deals.terms import service as terms
from core.deals.threads import service as threads
from core.i18n import N_, _


def _adjustment_text(view: deal_views.DealView) -> str:
    quality = view.quality
    assert quality is not None
    return adjustment_text(quality, view.deal)


def _ship_form(ctx: Ctx) -> Form:
    return ship_form(ctx.local_now().date())


def ship_form(today: date) -> Form:
    """The seller's shipment: carrier, reference and expected arrival (from `today`, the
    seller's own)."""
    return Form("ship", N_("Shipment"), [
        TextField("carrier", N_("Carrier"), max_length=80, hint=N_("The haulier, or “own transport”.")),
        TextField("tracking", N_("Tracking or CMR reference"), max_length=80, required=False),
        DateField("expected", N_("Expected arrival"), today=today, earliest=0, latest=180,
                  required=False)], submit_label=N_("Mark shipped"))


def day_of(value: str | None) -> date | None:
    """The day a date question answered: a day stays a day (no made-up hour)."""
    return date.fromisoformat(str(value)[:10]) if value else None


async def _shipped(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    deal_id = DealStep.of(ctx).deal_id
    await after_sale.mark_shipped(ctx.uow, deal_id, ctx.account.id, values["carrier"],
                                  values.get("tracking"), day_of(values.get("expected")))
    docs = await _thread_button(ctx, deal_id, _("📎 Send CMR, weighbridge ticket or photos"))
    return Next.end(Reply(confirmations.shipped().text, docs), menu=False)


async def _thread_button(ctx: Ctx, deal_id: int, label: str) -> tuple[tuple[Button, ...], ...]:
    """A button to the deal's thread (opened if the buyer never wrote)."""
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account_id)
    thread = await threads.open_thread(ctx.uow, view.deal.listing_id, view.deal.buyer_id,
                                       any_status=True)
    return ((Button(label, go("thread", thread.id)),),)


def _update_form(ctx: Ctx) -> Form:
    return Form("shipment_update", N_("Shipment update"), [
        ChoiceField("status", N_("Where are the goods"), choices=[
            (ShipmentStatus.IN_TRANSIT, N_("In transit")), (ShipmentStatus.DELAYED, N_("Delayed")),
            (ShipmentStatus.DELIVERED, N_("Delivered"))]),
        DateField("expected", N_("New expected arrival"), today=ctx.local_now().date(), earliest=0,
                  latest=180, when=lambda v: v.get("status") == ShipmentStatus.DELAYED),
        TextField("note", N_("A note for the buyer"), max_length=300, required=False)],
        submit_label=N_("Send update"))


async def _updated(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    await after_sale.update_shipment(ctx.uow, DealStep.of(ctx).deal_id, ctx.account.id,
                                     values["status"], day_of(values.get("expected")),
                                     values.get("note") or "")
    return Next.end(Reply(_("✅ Update sent to the buyer.")), menu=False)


def _quality_form(ctx: Ctx) -> Form:
    return quality_form(DealStep.of(ctx).specs)


def quality_form(specs: list[str]) -> Form:
    """The buyer's quality report: what arrived, and each value the terms' limits name."""
    fields: list[Field] = [
        AmountOfField("delivered", N_("Delivered quantity"), places=3, required=False,
                      hint=N_("Skip if the whole agreed quantity arrived."),
                      form_hint=N_("Leave empty if the whole agreed quantity arrived."))]
    fields += [DecimalField(name, _("Measured {name} ({unit})", name=figure_name(name),
                                    unit=MEASURABLE.get(name, "")),
                            places=2, required=False) for name in specs]
    return Form("quality", N_("Quality report"), fields, submit_label=N_("Send report"))


async def _reported(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    measured = {k: v for k, v in values.items() if k != "delivered" and v is not None}
    report = await quality_report.report(ctx.uow, DealStep.of(ctx).deal_id, ctx.account.id, measured,
                                         values.get("delivered"))
    if quality_report.within_tolerances(report):
        return Next.end(Reply(confirmations.quality_reported(None).text), menu=False)
    deal_id = DealStep.of(ctx).deal_id
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account.id)
    docs = await _thread_button(ctx, deal_id, _("📎 Send photos or the lab report"))
    said = confirmations.quality_reported(_adjustment_text(view))
    return Next.end(Reply(said.text, docs), menu=False)


def _change_form(ctx: Ctx) -> Form:
    """The terms that may change: how the goods travel and are paid."""
    on_terms = DealStep.of(ctx).on_terms  # the deal's own method stays a choice
    fields = [f for f in offer_fields.detail_fields(ctx.local_now().date(), on_terms)
              if f.name in terms.CHANGEABLE]
    return Form("change_terms", N_("Change the terms"), fields, submit_label=N_("Propose"))


async def _changed(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    version = await terms.propose_change(ctx.uow, DealStep.of(ctx).deal_id, ctx.account.id,
                                         {k: v for k, v in values.items() if k in terms.CHANGEABLE})
    return Next.end(Reply(_("✏ Version {version} of the terms went to the other party. "
                            "Both of you accept it again; the earlier version no longer counts.",
                            version=version),
                          ((Button(_("📄 Read and accept version {version}", version=version),
                                   go("deal_step", DealStep.of(ctx).deal_id, "sign-terms")),),)),
                    menu=False)


def _dispute_form(ctx: Ctx) -> Form:
    return Form("dispute", N_("Dispute"), [TextField(
        "reason", N_("What went wrong"), min_length=5, max_length=2000, multiline=True,
        hint=N_("Say what happened; send photos or documents in the deal's messages as evidence."))],
        submit_label=N_("Open the dispute"))


async def _disputed(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    await after_sale.open_dispute(ctx.uow, DealStep.of(ctx).deal_id, ctx.account.id,
                                  values["reason"])
    return Next.end(Reply(_("⚖ Dispute opened. An admin looks at the thread, terms and evidence, "
                            "may ask you questions here, and decides; the money stays held until "
                            "then.")), menu=False)


