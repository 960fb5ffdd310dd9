"""`/apikeys`: a company admin's keys for the company's own systems. The list shows each key
with the colleague it acts as, its scopes and its last use, and revokes one with a tap; a new
key is named after the system using it, given scopes and a colleague (the admin by default),
and shown once. Core checks the admin's role and keeps only the key's hash."""

from __future__ import annotations

from typing import Any

from conversations.fields import ChoiceField, MultiChoiceField, TextField
from conversations.flow import Ask, Ctx, Flow, Next
from conversations.flow_state import FlowState
from conversations.form_runner import FormState
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, rows
from core.companies import api_key_rules as key_rules
from core.companies import api_keys
from core.companies import service as companies
from core.i18n import N_, _, present
from core.ids import parse_id


class AtKeys(FlowState):
    """What the keys' flow keeps between its questions: the colleagues a new key may act as."""

    colleagues: dict[str, str] = {}  # account id → name, the admin first


def _scopes(scopes: tuple[str, ...]) -> str:
    return ", ".join(scopes)


def _line(key: api_keys.KeyView) -> str:
    if key.revoked_at is not None:
        return _("{holder} · revoked {when}", holder=key.holder, when=present.local(key.revoked_at))
    used = present.local(key.last_used_at) if key.last_used_at else _("never")
    return _("{holder} · {scopes} · {shown} · last used: {used}", holder=key.holder,
             scopes=_scopes(key.scopes), shown=key.shown, used=used)


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    found = await api_keys.keys(ctx.uow, ctx.account.id)
    items = tuple(ListItem(key.name, _line(key),
                           Button(_("✖ Revoke"), f"r:{key.id}") if key.revoked_at is None
                           else None) for key in found)
    text = _("Keys let your company's own systems use Agora's API as a colleague: their "
             "spending limit and approvals apply.") if not found else \
        _("Revoke a key, or make a new one.")
    return [ListPage(_("🔑 API keys"), items, 1, 1) if items else Reply(_("🔑 No API keys yet.")),
            Reply(text, rows((_("➕ New key"), "new"), (_("✔ Done"), "done")))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:]) if data.startswith("r:") else None
    if number is not None:
        key = await api_keys.revoke(ctx.uow, ctx.account.id, number)
        return Next(state="list", remember=False, replies=[Reply(_(
            "✖ Key “{name}” revoked: it is refused from now on.", name=key.name))])
    if data == "new":
        colleagues = await companies.members(ctx.uow, ctx.account.id)
        own = {str(ctx.account.id): ctx.account.display_name}
        AtKeys.of(ctx).colleagues = {**own, **{str(c.account_id): c.name for c in colleagues
                                               if c.account_id != ctx.account.id}}
        return Next(state="new")
    return Next.end(menu=False)


def _key_form(ctx: Ctx) -> Form:
    colleagues = AtKeys.of(ctx).colleagues
    return Form("api_key", N_("New API key"), [
        TextField("name", N_("The system that uses it"), max_length=key_rules.NAME_LIMIT,
                  hint=N_("Like: ERP, purchasing robot.")),
        MultiChoiceField("scopes", N_("What it may do"), choices=list(
            key_rules.SCOPE_LABELS.items())),
        ChoiceField("holder", N_("It acts as"), choices=list(colleagues.items()),
                    hint=N_("That colleague's spending limit and approvals apply to it."))],
        submit_label=N_("Make the key"))


async def _made(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    made = await api_keys.create(ctx.uow, ctx.account.id, values["name"], list(values["scopes"]),
                                 holder_id=int(values["holder"]))
    return Next(state="list", remember=False, replies=[Reply(_(
        "🔑 New key “{name}”, acting as {holder} ({scopes}):\n\n{token}\n\nCopy it now: Agora "
        "keeps only its hash and cannot show it again.", name=made.key.name,
        holder=made.key.holder, scopes=_scopes(made.key.scopes), token=made.token))])


api_keys_flow = Flow(
    name="apikeys", title=N_("API keys"), first="list", state_model=AtKeys,
    commands=("apikeys",),
    summary=N_("Keys for your company's own systems to use Agora's API"),
    help=N_("A company admin makes keys for the company's own systems (an ERP, a purchasing "
            "robot): each acts as one colleague, whose spending limit and approvals apply, with "
            "the scopes chosen — read, trade, documents. A key is shown once; revoke it here."),
    states={"list": Ask(prompt=_list, on=_on_list),
            "new": FormState(form=_key_form, done=_made, cancel_to="list")},
)
