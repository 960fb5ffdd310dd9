"""Registration: who you are, email check, then the onboarding tour."""

from __future__ import annotations

from typing import Any

from conversations import profile_fields as fields
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, MenuEntry, Next
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text
from core.accounts import member as members
from core.accounts import service as accounts
from core.accounts.intents import AccountIntent
from core.accounts.member import member
from core.accounts.model import default_timezone
from core.errors import DomainError
from core.i18n import N_, _

REGISTRATION_FORM = Form(
    id="registration",
    title=N_("Registration"),
    submit_label=N_("Register"),
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


class Joining(FlowState):
    """What registration and the email check keep (and the tour is handed): the deep link that
    brought a newcomer here, and what comes after the email check."""

    ref: str = ""  # a /start payload followed once onboarding ends
    then: str = ""  # "tour": the email check goes on to the welcome tour


async def _register(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Create the account, then check the email address."""
    country = values.get("country")
    data = accounts.Registration(
        display_name=values["display_name"], company=values.get("company"), email=values["email"],
        roles=values["roles"], country=country, interests=values.get("interests") or [],
        timezone=default_timezone(country), language=ctx.env.language,
        **fields.place(values.get("city")),
    )
    ctx.account = await members.register(ctx.uow, ctx.who, data)
    welcome = Reply(_("Welcome to Agora, {name}! One more step: your email.",
                      name=ctx.account.display_name))
    return Next(state=None, replies=[welcome], start="verify_email",
                start_data={"then": "tour", "ref": Joining.of(ctx).ref})


async def _refuse_if_registered(ctx: Ctx) -> Next | None:
    if ctx.account is not None:
        return Next.end(Reply(_("You are already registered. Here is your menu.")))
    return None


registration = Flow(
    name="registration",
    state_model=Joining,
    title=N_("registration"),
    first="details",
    commands=("register",), summary=N_("Create your Agora account"),
    intents={AccountIntent.REGISTER: ""}, menu=(MenuEntry(N_("📝 Register"), ("guest",), 10, row="guest"),),
    needs_account=False,
    help=N_("Registration takes about a minute: name, company, email, roles, where you are, "
            "and what interests you. You can go back to change an answer."),
    states={
        "details": FormState(
            form=REGISTRATION_FORM, done=_register,
            intro=N_("Welcome to Agora — bioenergy trading and expert advice, right here in chat. "
                     "Let's set up your account."),
        ),
    },
    on_start=_refuse_if_registered,
)


# --- email verification ---------------------------------------------------------------

RESEND, CHANGE = "resend", "change"


async def _code_prompt(ctx: Ctx) -> list[Outbound]:
    text = (_("We sent a 6-digit code to {email}. Type it here.", email=ctx.account.email) if ctx.account
            else _("We sent a 6-digit code to your address. Type it here."))
    return [Reply(text, ((Button(_("Send a new code"), RESEND), Button(_("Change email"), CHANGE)),))]


async def _code_answer(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if isinstance(msg, Choice) and msg.data == RESEND:
        await accounts.start_email_verification(ctx.uow, ctx.account.id, ctx.account.email or "")
        return Next.stay(Reply(_("A new code is on its way; the old one no longer works.")))
    if isinstance(msg, Choice) and msg.data == CHANGE:
        return Next(state="new_email")
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type the 6-digit code from the email."), kind="error"))
    code = msg.text.replace(" ", "").strip()
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return Next.stay(Reply(_("The code is 6 digits, like 123456."), kind="error"))
    try:
        await accounts.verify_email(ctx.uow, ctx.account.id, code)
    except DomainError as exc:  # keep the used-up attempt: commit, don't roll back
        return Next.stay(Reply(str(exc), kind="error"))
    ctx.account = await member(ctx.uow, ctx.account.id)  # verified: the menu and the tour see it
    done = Reply(_("✅ Email verified."))
    state = Joining.of(ctx)
    if state.then == "tour":  # a deep link followed before registering goes along
        return Next(state=None, replies=[done], start="onboarding", start_data={"ref": state.ref})
    return Next.end(done)


async def _new_email(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    ctx.account = await members.update(ctx.uow, ctx.account.id, email=values["email"])
    return Next(state="code", remember=False)


async def _already_verified(ctx: Ctx) -> Next | None:
    then = Joining.of(ctx).then
    if ctx.account and ctx.account.email_verified_at and then != "tour":
        return Next.end(Reply(_("Your email {email} is already verified.", email=ctx.account.email)))
    if ctx.account and ctx.account.email_verified_at is None and not then:
        await accounts.start_email_verification(ctx.uow, ctx.account.id, ctx.account.email or "")
    return None


verify_email = Flow(
    name="verify_email",
    state_model=Joining,
    title=N_("email verification"),
    menu=(MenuEntry(N_("✉ Verify my email"), ("member",), 900,
                    when=lambda ctx: ctx.account is not None and ctx.account.email_verified_at is None),),
    first="code",
    help=N_("Type the 6-digit code we emailed you. No email? Check spam, tap “Send a new code”, or "
            "“Change email” if the address was wrong."),
    states={
        "code": Ask(prompt=_code_prompt, on=_code_answer),
        "new_email": FormState(form=Form("new_email", N_("New email"), [fields.email_field()]),
                               done=_new_email),
    },
    on_start=_already_verified,
)
