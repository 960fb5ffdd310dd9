"""Profile: a card of what we know, and editing one field at a time."""

from __future__ import annotations

from typing import Any

from conversations import form_runner
from conversations import profile_fields as fields
from conversations.fields import Field
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, MenuEntry, Next
from conversations.flows.loyalty.loyalty import loyalty_line
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, go
from core.accounts import accepted
from core.accounts import member as members
from core.accounts.intents import AccountIntent
from core.accounts.member import Member
from core.accounts.model import INTERESTS, ROLE_LABELS, Role
from core.i18n import LANGUAGES, N_, _, countries, current_language, language_of, present
from core.money.reading import read_for

EDITABLE: dict[str, Any] = {
    "display_name": fields.name_field,
    "company": fields.company_field,
    "email": fields.email_field,
    "roles": fields.roles_field,
    "country": fields.country_field,
    "city": fields.city_field,
    "interests": fields.interests_field,
    "language": fields.language_field,
    "currencies": fields.currencies_field,
    "payment_methods": fields.payment_methods_field,
    "phone": fields.phone_field,  # a seller's, for its XRechnungs (invoice_phone asks it first)
}
SELLERS_ONLY = ("phone",)  # fields that concern a seller alone: a buyer is not asked them


class Profiling(FlowState):
    """What editing one's profile keeps: the field edited (`ALL`: every field in one form)."""

    field: str = "display_name"


def takes_crypto(ctx: Ctx) -> bool:
    """Whether the platform takes crypto (a crypto provider is configured)."""
    payments = ctx.services.payments
    return payments is not None and payments.takes_crypto


def _editable(ctx: Ctx) -> list[str]:
    """The fields this member edits (a seller's own ones only for a seller)."""
    return [name for name in EDITABLE if name not in SELLERS_ONLY or Role.SELLER in ctx.roles]


def _field(ctx: Ctx, name: str) -> Field:
    """A profile field as this platform offers it (its ways to pay: crypto where taken)."""
    if name == "payment_methods":
        return fields.payment_methods_field(crypto=takes_crypto(ctx))
    field: Field = EDITABLE[name]()
    return field


def profile_card(account: Member, roles: set[str], channels: list[str],
                 crypto: bool = False) -> str:
    """The profile as plain text (channels escape it for their markup)."""
    place = ", ".join(p for p in (account.city, _country(account.country)) if p) or "—"
    if account.latitude is not None and account.city is None:
        place = present.coordinates(account.latitude, account.longitude or 0)
    email_state = _("verified") if account.email_verified_at else _("not verified")
    quiet = f"{account.quiet_start}–{account.quiet_end}" if account.quiet_start else _("none")
    interests = ", ".join(_(INTERESTS[i]) if i in INTERESTS else i for i in account.interests)
    lines = [
        f"👤 {account.display_name}" + (f" · {account.company}" if account.company else ""),
        _("Email: {email} ({state})", email=account.email or "—", state=email_state),
        _("Roles: {roles}", roles=", ".join(_(ROLE_LABELS[Role(r)]) for r in sorted(roles)
                                            if r in Role._value2member_map_)),  # not "company_…"
        _("Location: {place}", place=place),
        _("Interests: {interests}", interests=interests or "—"),
        _("Currency: {currency} · Language: {language} · Time zone: {timezone}",
          currency=account.currency, language=LANGUAGES[language_of(account.language)],
          timezone=account.timezone),
        _("Notifications: {channel} · quiet hours: {quiet}", channel=account.notify_channel or "—",
          quiet=quiet),
        _("Linked chats: {channels}", channels=", ".join(channels)),
    ]
    if Role.SELLER in roles:  # what buyers may pay them in, and how
        lines.insert(-2, _("Accepted: {currencies} · {methods}",
                           currencies=", ".join(account.currencies or (account.currency,)),
                           methods=accepted.method_names(
                               account.payment_methods
                               or [k for k, __ in accepted.method_choices(crypto=crypto)])))
        lines.insert(-2, _("Phone for invoices: {phone}", phone=account.phone or "—"))
    return "\n".join(lines)


async def profile_text(ctx: Ctx) -> str:
    """The signed-in user's profile card."""
    assert ctx.account is not None
    return profile_card(ctx.account, ctx.roles, await members.channels_of(ctx.uow, ctx.account.id),
                        takes_crypto(ctx))


def _country(code: str | None) -> str:
    return countries.name_in(current_language(), code) if code else ""


ALL = "*"  # every field in one form, where a channel shows forms whole (a Slack modal)


async def _view(ctx: Ctx) -> list[Outbound]:
    card = f"{await profile_text(ctx)}\n{await loyalty_line(ctx)}"
    certificates = Button(_("📜 Certificates"), go("certificates"))
    if ctx.forms_at_once:
        return [Reply(card, ((Button(_("✏ Edit the profile"), f"edit:{ALL}"), certificates),
                             _haulier_row(), (Button(_("Done"), "done"),)))]
    buttons = [Button(_("Edit {field}", field=fields_label(name)), f"edit:{name}")
               for name in _editable(ctx)]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return [Reply(card, (*rows, _haulier_row(), (certificates, Button(_("Done"), "done"))))]


def _haulier_row() -> tuple[Button, ...]:
    """Hauliers keep their routes, loading types and capacity beside the profile."""
    return (Button(_("🚚 Haulier profile"), go("haulier")),)


def fields_label(name: str) -> str:
    field: Field = EDITABLE[name]()
    return _(field.label).lower().removeprefix("your ").removesuffix(" address")


async def _on_view(ctx: Ctx, msg: Inbound) -> Next:
    if isinstance(msg, Choice) and msg.data == "done":
        return Next.end()
    if isinstance(msg, Choice) and msg.data.startswith("edit:"):
        name = msg.data.removeprefix("edit:")
        if name == ALL and ctx.account is not None:  # seeded with what the profile says now
            Profiling.of(ctx).field = ALL
            current = _current(ctx)
            form_runner.seed(ctx, "edit", current)
            return Next(state="edit")
        if name in _editable(ctx):
            Profiling.of(ctx).field = name
            ctx.data.pop("_forms", None)
            return Next(state="edit")
    return Next.stay(Reply(_("Tap a button to edit a field, or “Done”."), kind="error"))


def _current(ctx: Ctx) -> dict[str, Any]:
    """The profile's fields as they stand, as a form's values."""
    account = ctx.account
    assert account is not None
    roles = [r for r, __ in fields.roles_field().choices if r in ctx.roles]
    return {"display_name": account.display_name, "company": account.company,
            "email": account.email, "roles": roles, "country": account.country,
            "city": account.city, "interests": list(account.interests or []),
            "language": language_of(account.language),
            "currencies": list(account.currencies or [account.currency]),
            "payment_methods": list(account.payment_methods
                                    or [k for k, __ in accepted.method_choices(
                                        crypto=takes_crypto(ctx))]),
            "phone": account.phone}


def _edit_form(ctx: Ctx) -> Form:
    if Profiling.of(ctx).field == ALL:
        return Form(id="edit_profile", title=N_("Edit profile"),
                    fields=[_field(ctx, name) for name in _editable(ctx)],
                    submit_label=N_("Save"))
    field = _field(ctx, Profiling.of(ctx).field)
    return Form(id=f"edit_{field.name}", title=N_("Edit profile"), fields=[field],
                submit_label=N_("Save"))


def _changes(name: str, value: Any) -> dict[str, Any]:
    """What saving one field changes on the account."""
    if name == "city":
        return {"city": None, "latitude": None, "longitude": None, **fields.place(value)}
    if name == "interests":
        return {"interests": value or []}
    return {name: value}


async def _save(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    edited = Profiling.of(ctx).field
    names = _editable(ctx) if edited == ALL else [edited]
    before = _current(ctx)
    changed = [n for n in names if n in values and values.get(n) != before.get(n)]
    changes: dict[str, Any] = {}
    for name in changed:
        changes |= _changes(name, values.get(name))
    if changes:
        ctx.account = await members.update(ctx.uow, ctx.account.id, **changes)
    if "language" in changed:
        read_for(ctx.account)  # “Saved” and the card are already in the new language
    if "email" in changed:
        return Next(state=None, replies=[Reply(_("Saved. Now let's check the new address."))],
                    start="verify_email", start_data={"then": "profile"})
    return Next(state="view", replies=[Reply(_("✅ Saved."))], remember=False)


profile = Flow(
    name="profile",
    state_model=Profiling,
    title=N_("your profile"),
    first="view",
    commands=("profile", "me"), summary=N_("See or edit your profile"),
    intents={AccountIntent.PROFILE: ""}, menu=(MenuEntry(N_("👤 Profile"), ("member",), 910, row="me"),),
    help=N_("Your profile: tap a field to change it, among them the currencies and the ways to "
            "pay you accept as a seller (buyers are offered only those; the first currency is "
            "your default) and the phone your German buyers' e-invoices name. A new email "
            "address is verified again. Your certificates: /certificates."),
    states={"view": Ask(prompt=_view, on=_on_view), "edit": FormState(form=_edit_form, done=_save)},
)
