"""An independent inspection in chat: a deal's party books an inspector from the deal card (the
inspectors who offer sampling and lab analysis, with their fee); an inspection's card with each
reader's next steps; the inspector's steps — accept or decline, send the sampling record, enter
the lab's figures (a form, read in the inspector's own numbers). Every rule is core's
(core.consulting.inspections)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, Field
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.flows.uploads import stored_file
from conversations.forms import Form
from conversations.messages import Choice, FileReply, FileUpload, Inbound, Outbound, Reply, go, rows
from conversations.number_and_date_fields import DecimalField
from core.consulting.inspections import rules
from core.consulting.inspections import service as inspections
from core.consulting.inspections.cards import inspection_text
from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.service import INSPECTOR
from core.consulting.inspections.view import Inspectors
from core.consulting.intents import ConsultingIntent
from core.deals.after_sale.quality_report import MEASURABLE
from core.deals.cards import figure_name
from core.i18n import N_, _, countries, current_language, present
from core.ids import parse_id

VERBS = ("accept", "decline", "record", "results", "file")
NCV_UNITS = [("MJ/kg", "MJ/kg"), ("kWh/kg", "kWh/kg")]


class Inspecting(FlowState):
    """What an inspection's flows keep: the deal or the inspection, and the step."""

    number: int = 0
    verb: str = ""
    parameters: list[str] = []  # what the lab enters (the results form's fields)


def _done() -> tuple[tuple[Any, ...], ...]:
    return rows((_("✔ Done"), "done"))


# A party books an inspector.

async def _book_start(ctx: Ctx) -> Next | None:
    state = Inspecting.of(ctx)
    deal_id = parse_id(state.args)
    if deal_id is None:
        return Next.end(Reply(_("Book an inspection from the deal's card (/deals)."),
                              kind="error"))
    state.number = deal_id
    return None


async def _inspectors_prompt(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    deal_id = Inspecting.of(ctx).number
    found = await inspections.inspectors(ctx.uow, deal_id, ctx.account.id)
    if not found.offers:
        return [Reply(_("No inspector offers sampling and lab analysis yet."), _done())]
    choices = [(_("{name} · {fee}", name=o.name, fee=o.fee) + (
        " · ★ " + present.number(o.stars.quantize(Decimal("0.1"))) if o.stars else ""),
        f"i:{o.account_id}") for o in found.offers]
    intro = _("🔬 Book an independent inspector for deal #{deal}: they sample the goods and "
              "have them analysed; their figures fill in the deal's quality step. You pay "
              "their fixed fee, authorised now and charged once their results are in.",
              deal=deal_id)
    return [Reply(f"{intro}\n{_where(found)}".rstrip(), rows(*choices, (_("Not now"), "done")))]


def _where(found: Inspectors) -> str:
    """Whom the list holds: the inspectors serving the goods' country, or every one, said so."""
    if found.country is None:
        return ""
    country = countries.name_in(current_language(), found.country)
    if found.local:
        return _("Inspectors who sample in {country}:", country=country)
    return _("No inspector lists {country} among the countries they serve; here is every "
             "inspector.", country=country)


async def _on_inspector(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    inspector_id = parse_id(data[2:]) if data.startswith("i:") else None
    if inspector_id is None:
        return Next.end(menu=False)
    booked = await inspections.book(ctx.uow, Inspecting.of(ctx).number, ctx.account.id,
                                    inspector_id)
    return Next.end(Reply(inspection_text(booked) + "\n" + _(
        "Authorise the fee on the page that follows; the inspector is asked once it is "
        "authorised."),
        rows((_("🔬 Inspection"), go("inspection", booked.id)))), menu=False)


inspection_book_flow = Flow(
    name="inspection_book", title=N_("an inspection booked"), first="pick",
    on_start=_book_start, state_model=Inspecting,
    intents={ConsultingIntent.BOOK_INSPECTION: "{arg}"},
    help=N_("Book an independent inspector for your deal's goods: sampling and lab analysis at "
            "their fixed fee, their figures filling in the deal's quality step for both of you."),
    states={"pick": Ask(prompt=_inspectors_prompt, on=_on_inspector)},
)


# An inspection's card.

async def inspection_card(ctx: Ctx, inspection_id: int) -> Reply:
    """The inspection with this reader's next steps."""
    facts = await inspections.get(ctx.uow, inspection_id, ctx.account_id)
    buttons: list[tuple[str, str]] = []
    step = "inspection_step"
    if facts.role == INSPECTOR and facts.state == InspectionState.BOOKED:
        buttons += [(_("✅ Accept"), go(step, "accept", facts.id)),
                    (_("✖ Decline"), go(step, "decline", facts.id))]
    elif facts.role == INSPECTOR and facts.state == InspectionState.ACCEPTED:
        buttons.append((_("📎 Send the sampling record"), go(step, "record", facts.id)))
        if facts.has_record:
            buttons.append((_("🧪 Enter the lab results"), go(step, "results", facts.id)))
    if facts.has_record:
        buttons.append((_("📄 Sampling record"), go(step, "file", facts.id)))
    if facts.role != INSPECTOR:
        buttons.append((_("🤝 Deal #{id}", id=facts.deal_id), go("deal", facts.deal_id)))
    return Reply(inspection_text(facts), rows(*buttons, (_("✔ Done"), "done")))


async def _card_prompt(ctx: Ctx) -> list[Outbound]:
    inspection_id = parse_id(Inspecting.of(ctx).args)
    if inspection_id is None:
        return [Reply(_("Open an inspection from its notice or its deal's card."), _done())]
    return [await inspection_card(ctx, inspection_id)]


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    return Next.end(menu=False)


inspection_flow = Flow(
    name="inspection", title=N_("an inspection"), first="card", state_model=Inspecting,
    intents={ConsultingIntent.VIEW_INSPECTION: "{arg}"},
    help=N_("An inspection of a deal's goods: the inspector, the fee, the deal's quality terms "
            "and the lab's figures."),
    states={"card": Ask(prompt=_card_prompt, on=_on_card)},
)


# The inspector's steps.

async def _step_start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    state = Inspecting.of(ctx)
    verb, __, number = state.args.partition(":")
    found = parse_id(number)
    if verb not in VERBS or found is None:
        return Next.end(Reply(_("Take an inspection's steps from its card."), kind="error"))
    state.verb, state.number = verb, found
    if verb == "file":
        return Next.end(await _record_file(ctx, found), menu=False)
    if verb in ("accept", "decline"):
        await inspections.answer(ctx.uow, found, ctx.account.id, accept=verb == "accept")
        said = _("✅ Accepted: sample the goods, then send the sampling record and the lab's "
                 "figures here.") if verb == "accept" else \
            _("✖ Declined: the fee is given back to the party who booked you.")
        return Next.end(Reply(said, rows((_("🔬 Inspection"), go("inspection", found)))),
                        menu=False)
    facts = await inspections.get(ctx.uow, found, ctx.account.id)
    if facts.role != INSPECTOR:
        return Next.end(Reply(_("Only the booked inspector answers and reports an "
                                "inspection."), kind="error"))
    state.parameters = list(facts.parameters)
    return Next(state="upload" if verb == "record" else "results", remember=False)


async def _record_file(ctx: Ctx, inspection_id: int) -> Outbound:
    kept = await inspections.record(ctx.uow, inspection_id, ctx.account_id)
    if kept is None or ctx.services.files is None:
        return Reply(_("That sampling record is no longer there."), kind="error")
    return FileReply(kept.name, ctx.services.files.read(kept.path), kept.mime_type,
                     _("📄 Sampling record of inspection #{id}", id=inspection_id))


async def _upload_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Send the sampling record (a PDF or a photo)."), rows((_("Not now"), "done")))]


async def _on_upload(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not isinstance(msg, FileUpload):
        return Next.end(Reply(_("Nothing changed.")), menu=False)
    inspection_id = Inspecting.of(ctx).number
    await inspections.keep_record(ctx.uow, inspection_id, ctx.account.id,
                                  await stored_file(ctx, msg))
    return Next.end(Reply(_("📎 Sampling record kept. Now enter the lab results."), rows(
        (_("🧪 Enter the lab results"), go("inspection_step", "results", inspection_id)))),
        menu=False)


def _results_form(ctx: Ctx) -> Form:
    """Moisture, ash, the calorific value (with its unit) and every figure the terms limit."""
    fields: list[Field] = []
    for name in Inspecting.of(ctx).parameters:
        unit = "MJ/kg · kWh/kg" if name == "ncv" else MEASURABLE.get(name, "")
        fields.append(DecimalField(name, _("Measured {name} ({unit})", name=figure_name(name),
                                           unit=unit),
                                   places=3, required=False))
        if name == "ncv":
            fields.append(ChoiceField("ncv_unit", N_("Unit of the calorific value"),
                                      choices=NCV_UNITS))
    return Form("lab_results", N_("Lab results"), fields, submit_label=N_("Send the results"))


async def _results_sent(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    figures = {name: Decimal(str(value)) for name, value in values.items()
               if name != "ncv_unit" and value not in (None, "")}
    if "ncv" in figures:
        figures["ncv"] = rules.in_mj_per_kg(figures["ncv"], str(values.get("ncv_unit") or ""))
    inspection_id = Inspecting.of(ctx).number
    await inspections.deliver(ctx.uow, inspection_id, ctx.account.id, figures)
    return Next.end(Reply(_("🧪 Results sent: both parties have them with the sampling record, "
                            "and your fee is paid to you."),
                          rows((_("🔬 Inspection"), go("inspection", inspection_id)))),
                    menu=False)


inspection_step_flow = Flow(
    name="inspection_step", title=N_("an inspection step"), first="upload",
    on_start=_step_start, state_model=Inspecting,
    intents={ConsultingIntent.INSPECTION_STEP: "{arg}"},
    help=N_("A step of an inspection you were booked for: accept or decline it, send the "
            "sampling record (a PDF or a photo), then enter the lab's figures for the deal's "
            "quality step."),
    states={"upload": Ask(prompt=_upload_prompt, on=_on_upload),
            "results": FormState(form=_results_form, done=_results_sent)},
)
