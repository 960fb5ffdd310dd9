"""Registration: who you are, email check, then the onboarding tour."""

from __future__ import annotations

from typing import Any

from conversations import profile_fields as fields
from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text
from core.accounts import service as accounts
from core.accounts.model import default_timezone
from core.actions import Intent
from core.errors import DomainError

REGISTRATION_FORM = Form(
    id="registration",
    title="Registration",
    submit_label="Register",
    fields=[
        fields.name_field(),
        fields.company_field(),
        fields.email_field(),
        fields.roles_field(),
        fields.country_field(),
        fields.city_field(),
        fields.interests_field(),
    ],
)


async def _register(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Create the account, then check the email address."""
    country = values.get("country")
    data = accounts.Registration(
        display_name=values["display_name"], company=values.get("company"), email=values["email"],
        roles=values["roles"], country=country, interests=values.get("interests") or [],
        timezone=default_timezone(country), **fields.place(values.get("city")),
    )
    account = await accounts.register(ctx.uow, ctx.who, data)
    ctx.account = account
    welcome = Reply(f"Welcome to Agora, {account.display_name}! One more step: your email.")
    return Next(state=None, replies=[welcome], start="verify_email",
                start_data={"then": "tour", "ref": ctx.data.get("ref") or ""})


async def _refuse_if_registered(ctx: Ctx) -> Next | None:
    if ctx.account is not None:
        return Next.end(Reply("You are already registered. Here is your menu."))
    return None


registration = Flow(
    name="registration",
    title="registration",
    first="details",
    commands=("register",), summary="Create your Agora account",
    intents={Intent.REGISTER: ""}, menu=(MenuEntry("📝 Register", ("guest",), 10, row="guest"),),
    needs_account=False,
    help="Registration takes about a minute: name, company, email, roles, where you are, "
    "and what interests you. You can go back to change an answer.",
    states={
        "details": FormState(
            form=REGISTRATION_FORM, done=_register,
            intro="Welcome to Agora — bioenergy trading and expert advice, right here in chat. "
                  "Let's set up your account.",
        ),
    },
    on_start=_refuse_if_registered,
)


# --- email verification ---------------------------------------------------------------

RESEND, CHANGE = "resend", "change"


async def _code_prompt(ctx: Ctx) -> list[Outbound]:
    email = ctx.account.email if ctx.account else "your address"
    return [Reply(f"We sent a 6-digit code to {email}. Type it here.",
                  ((Button("Send a new code", RESEND), Button("Change email", CHANGE)),))]


async def _code_answer(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if isinstance(msg, Choice) and msg.data == RESEND:
        await accounts.start_email_verification(ctx.uow, ctx.account, ctx.account.email or "")
        return Next.stay(Reply("A new code is on its way; the old one no longer works."))
    if isinstance(msg, Choice) and msg.data == CHANGE:
        return Next(state="new_email")
    if not isinstance(msg, Text):
        return Next.stay(Reply("Please type the 6-digit code from the email.", kind="error"))
    code = msg.text.replace(" ", "").strip()
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return Next.stay(Reply("The code is 6 digits, like 123456.", kind="error"))
    try:
        await accounts.verify_email(ctx.uow, ctx.account.id, code)
    except DomainError as exc:  # keep the used-up attempt: commit, don't roll back
        return Next.stay(Reply(str(exc), kind="error"))
    done = Reply("✅ Email verified.")
    if ctx.data.get("then") == "tour":  # a deep link followed before registering goes along
        return Next(state=None, replies=[done], start="onboarding",
                    start_data={"ref": ctx.data.get("ref") or ""})
    return Next.end(done)


async def _new_email(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    await accounts.update_profile(ctx.uow, ctx.account.id, email=values["email"])
    return Next(state="code", remember=False)


async def _already_verified(ctx: Ctx) -> Next | None:
    if ctx.account and ctx.account.email_verified_at and ctx.data.get("then") != "tour":
        return Next.end(Reply(f"Your email {ctx.account.email} is already verified."))
    if ctx.account and ctx.account.email_verified_at is None and not ctx.data.get("then"):
        await accounts.start_email_verification(ctx.uow, ctx.account, ctx.account.email or "")
    return None


verify_email = Flow(
    name="verify_email",
    title="email verification",
    menu=(MenuEntry("✉ Verify my email", ("member",), 900,
                    when=lambda ctx: ctx.account is not None and ctx.account.email_verified_at is None),),
    first="code",
    help="Type the 6-digit code we emailed you. No email? Check spam, tap “Send a new code”, or "
    "“Change email” if the address was wrong.",
    states={
        "code": Ask(prompt=_code_prompt, on=_code_answer),
        "new_email": FormState(form=Form("new_email", "New email", [fields.email_field()]),
                               done=_new_email),
    },
    on_start=_already_verified,
)
