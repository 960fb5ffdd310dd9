"""The phone a seller's XRechnungs name: asked once, from the notice of a sale to a buyer
billed in Germany (payments.xrechnung_phone), never in the billing walk."""

from __future__ import annotations

from typing import Any

from conversations.fields import TextField
from conversations.flow import Ctx, Flow, FormState, Next
from conversations.forms import Form, Rule
from conversations.messages import Reply
from core.accounts import xrechnung_details
from core.accounts.intents import AccountIntent
from core.errors import DomainError
from core.i18n import N_, _


def _phone_ok(values: dict[str, Any]) -> str | None:
    try:
        xrechnung_details.check_phone(values.get("phone") or "")
    except DomainError as exc:
        return str(exc)
    return None


def _form(ctx: Ctx) -> Form:
    return Form("invoice_phone", N_("Phone for invoices"), [
        TextField("phone", N_("Your phone number"), max_length=40,
                  hint=N_("XRechnung, the e-invoice German buyers book, names the seller's "
                          "phone and email. With the country code, like +49 30 1234567."))],
        submit_label=N_("Save"), rules=[Rule(("phone",), _phone_ok)])


async def _given(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    phone = await xrechnung_details.set_phone(ctx.uow, ctx.account.id, values["phone"])
    return Next.end(Reply(_("✅ Saved: {phone}. Your German buyers' e-invoices are XRechnung now.",
                            phone=phone)), menu=False)


invoice_phone = Flow(
    name="invoice_phone", title=N_("your phone for invoices"), first="phone",
    intents={AccountIntent.INVOICE_PHONE: ""},
    states={"phone": FormState(form=_form, done=_given)},
)
