"""The phone a seller's XRechnungs name: asked once, from the notice of a sale to a buyer
billed in Germany (payments.xrechnung_phone), never in the billing walk; seen and changed
afterwards on the seller's /profile."""

from __future__ import annotations

from typing import Any

from conversations.flow import Ctx, Flow, FormState, Next
from conversations.forms import Form
from conversations.messages import Reply
from conversations.profile_fields import PHONE_HINT, PhoneField
from core.accounts import xrechnung_details
from core.accounts.intents import AccountIntent
from core.i18n import N_, _


def _form(ctx: Ctx) -> Form:
    return Form("invoice_phone", N_("Phone for invoices"), [
        PhoneField("phone", N_("Your phone number"), hint=PHONE_HINT)], submit_label=N_("Save"))


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
