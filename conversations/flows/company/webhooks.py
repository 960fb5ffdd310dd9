"""`/webhooks`: a company's webhook endpoints, for its admins — add one (its address and the
events it takes; its signing secret is shown once), and for each: its latest deliveries with
their tries, re-send one, a new secret, disable or enable. Core checks the admin's role and
every rule (core.webhooks.service); the payloads and their delivery are core's."""

from __future__ import annotations

from typing import Any

from conversations.fields import MultiChoiceField, TextField
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.forms import Form
from conversations.messages import Choice, Inbound, Outbound, Reply, rows
from core.clock import local_time
from core.errors import DomainError
from core.i18n import N_, _, n_, present
from core.ids import parse_id
from core.webhooks import rules
from core.webhooks import service as webhooks
from core.webhooks.intents import WebhookIntent
from core.webhooks.keys import Keys
from core.webhooks.rules import DeliveryStatus

STATUS = {DeliveryStatus.PENDING: N_("⏳ waiting"), DeliveryStatus.SENDING: N_("📤 sending"),
          DeliveryStatus.DELIVERED: N_("✅ delivered"), DeliveryStatus.FAILED: N_("⚠ failed")}
LISTED = 5  # deliveries on an endpoint's card, newest first


class Hooks(FlowState):
    """What the webhooks' steps keep: the endpoint and the delivery open."""

    endpoint: int | None = None
    delivery: int | None = None


def _keys(ctx: Ctx) -> Keys:
    assert ctx.services.webhooks is not None  # config.container.build sets it
    return ctx.services.webhooks


async def _start(ctx: Ctx) -> Next | None:
    """`endpoint:ID` (a failure notice's button) opens that endpoint's card; none: the list.
    Someone who is not an admin of a company is told why not."""
    assert ctx.account is not None
    state = Hooks.of(ctx)
    try:
        await webhooks.endpoints(ctx.uow, ctx.account.id)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    verb, __, number = state.args.strip().partition(":")
    if verb == "endpoint" and (which := parse_id(number)) is not None:
        state.endpoint = which
        return Next(state="endpoint", remember=False)
    return None


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    found = await webhooks.endpoints(ctx.uow, ctx.account.id)
    lines = [_("🔗 Webhooks: your company's systems hear of its deals, requests and documents "
               "as they happen.")]
    lines += [f"• {_endpoint_line(e)}" for e in found] or [_("No endpoint yet.")]
    buttons = [(_("➕ Add an endpoint"), "add")]
    buttons += [(e.url[:40], f"endpoint:{e.id}") for e in found]
    return [Reply("\n".join(lines), rows(*buttons, (_("✔ Done"), "done")))]


def _endpoint_line(e: webhooks.EndpointView) -> str:
    state = _("active") if e.enabled else _("⏸ disabled")
    return " · ".join((e.url, n_("{n} event type", "{n} event types", len(e.types)), state))


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    choice = msg.data if isinstance(msg, Choice) else ""
    verb, __, number = choice.partition(":")
    if choice == "add":
        ctx.data.pop("_forms", None)
        return Next(state="add")
    if verb == "endpoint" and (which := parse_id(number)) is not None:
        Hooks.of(ctx).endpoint = which
        return Next(state="endpoint")
    return Next.end()


def _add_form(ctx: Ctx) -> Form:
    return Form("webhook_add", N_("New webhook"), [
        TextField("url", N_("Address (https://…)"), max_length=rules.MAX_URL,
                  hint=N_("Where Agora posts each event, signed with the endpoint's secret.")),
        MultiChoiceField("types", N_("Events"), choices=list(rules.EVENT_TYPES.items()))],
        submit_label=N_("Add"))


def _secret_reply(secret: str) -> Reply:
    return Reply(_("🔑 The endpoint's signing secret, shown only now — keep it where your "
                   "receiver reads it:\n{secret}", secret=secret))


async def _added(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    made = await webhooks.register(ctx.uow, ctx.account.id, _keys(ctx), values["url"],
                                   list(values["types"]))
    Hooks.of(ctx).endpoint = made.endpoint.id
    return Next(state="endpoint", remember=False, replies=[_secret_reply(made.secret)])


def _delivery_line(d: webhooks.DeliveryView) -> str:
    last = d.attempts[-1] if d.attempts else None
    answer = (_("last answer {code}", code=str(last.status_code)) if last and last.status_code
              else _("no answer: {error}", error=last.error) if last and last.error else "")
    return " · ".join(part for part in (
        d.type, _(STATUS[d.status]), n_("{n} try", "{n} tries", len(d.attempts)), answer) if part)


async def _endpoint(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    state = Hooks.of(ctx)
    assert state.endpoint is not None
    one = await webhooks.endpoint(ctx.uow, ctx.account.id, state.endpoint)
    found = (await webhooks.deliveries(ctx.uow, ctx.account.id, one.id))[:LISTED]
    lines = [f"🔗 {_endpoint_line(one)}",
             _("Events: {types}", types=", ".join(one.types))]
    lines += [_("Latest deliveries:")] + [f"• {_delivery_line(d)}" for d in found] if found \
        else [_("No delivery yet.")]
    buttons = [(_("🔎 {type} ({status})", type=d.type, status=_(STATUS[d.status])),
                f"delivery:{d.id}") for d in found]
    buttons += [(_("🔑 New secret"), "rotate"),
                (_("⏸ Disable") if one.enabled else _("▶ Enable"), "toggle"),
                (_("↩ Back"), "back")]
    return [Reply("\n".join(lines), rows(*buttons))]


async def _on_endpoint(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    state = Hooks.of(ctx)
    assert state.endpoint is not None
    choice = msg.data if isinstance(msg, Choice) else ""
    verb, __, number = choice.partition(":")
    if verb == "delivery" and (which := parse_id(number)) is not None:
        state.delivery = which
        return Next(state="delivery")
    if choice == "rotate":
        made = await webhooks.rotate(ctx.uow, ctx.account.id, _keys(ctx), state.endpoint)
        return Next.stay(_secret_reply(made.secret))
    if choice == "toggle":
        one = await webhooks.endpoint(ctx.uow, ctx.account.id, state.endpoint)
        await webhooks.set_enabled(ctx.uow, ctx.account.id, one.id, not one.enabled)
        return Next.stay()
    return Next(state="list", remember=False)


async def _delivery(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    state = Hooks.of(ctx)
    assert state.endpoint is not None
    found = {d.id: d for d in await webhooks.deliveries(ctx.uow, ctx.account.id, state.endpoint)}
    one = found.get(state.delivery or 0)
    if one is None:
        return [Reply(_("That delivery is no longer listed."), rows((_("↩ Back"), "back")))]
    zone = ctx.account.timezone
    lines = [f"{one.type} · {one.event_id}", _(STATUS[one.status])]
    if one.status == DeliveryStatus.PENDING and one.attempts:
        lines.append(_("Next try: {when}", when=local_time(one.next_at, zone)))
    for a in one.attempts:
        answer = (_("answered {code} in {millis} ms", code=str(a.status_code),
                    millis=present.number(a.millis))
                  if a.status_code else _("no answer: {error}", error=a.error or "—"))
        lines.append(_("Try {number}, {when}: {answer}", number=present.number(a.number),
                       when=local_time(a.started_at, zone), answer=answer))
        if a.excerpt:
            lines.append(f"  “{a.excerpt[:120]}”")
    return [Reply("\n".join(lines), rows((_("🔁 Re-send"), "resend"), (_("↩ Back"), "back")))]


async def _on_delivery(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    state = Hooks.of(ctx)
    if isinstance(msg, Choice) and msg.data == "resend" and state.delivery is not None:
        try:
            await webhooks.resend(ctx.uow, ctx.account.id, state.delivery)
        except DomainError as exc:
            return Next.stay(Reply(str(exc), kind="error"))
        return Next.stay(Reply(_("🔁 Queued again: it is sent within a few seconds, with the "
                                 "same event id as before.")))
    return Next(state="endpoint", remember=False)


webhooks_flow = Flow(
    name="webhooks", title=N_("your company's webhooks"), first="list", on_start=_start,
    state_model=Hooks,
    commands=("webhooks",), summary=N_("Your company's webhooks: endpoints and deliveries"),
    intents={WebhookIntent.WEBHOOKS: "{arg}"},
    help=N_("A company's admins register HTTPS endpoints that receive its deals', requests' and "
            "documents' events, signed with the endpoint's secret; each delivery, with its "
            "tries and answers, can be read and re-sent."),
    states={"list": Ask(prompt=_list, on=_on_list),
            "add": FormState(form=_add_form, done=_added, cancel_to="list"),
            "endpoint": Ask(prompt=_endpoint, on=_on_endpoint),
            "delivery": Ask(prompt=_delivery, on=_on_delivery)},
)
