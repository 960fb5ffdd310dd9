"""Account linking: a one-time code typed on the other channel joins the two identities."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.messages import Inbound, Outbound, Reply, Text
from core.accounts import member as members
from core.accounts import service as accounts
from core.accounts.intents import AccountIntent
from core.errors import DomainError
from core.i18n import N_, _, n_


async def _start(ctx: Ctx) -> Next | None:
    code = str(ctx.data.get("args", "")).strip()
    if code:
        return await _redeem(ctx, code)
    code = await accounts.issue_link_code(ctx.uow, ctx.who)
    minutes = ctx.uow.policy.link_code_ttl_minutes
    if ctx.account is None:
        text = n_("Your link code: {code}\nSend  /link {code}  where you are already registered within "
                  "{n} minutes. Then both chats share one Agora account.",
                  "Your link code: {code}\nSend  /link {code}  where you are already registered within "
                  "{n} minutes. Then both chats share one Agora account.", minutes, code=code)
    else:
        text = n_("Your link code: {code}\nSend  /link {code}  on your other chat app within {n} minutes. "
                  "Then both chats share one Agora account.",
                  "Your link code: {code}\nSend  /link {code}  on your other chat app within {n} minutes. "
                  "Then both chats share one Agora account.", minutes, code=code)
    return Next.end(Reply(text), menu=False)


async def _redeem(ctx: Ctx, code: str) -> Next:
    try:
        ctx.account = await members.link(ctx.uow, ctx.who, code)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    return Next.end(Reply(_("🔗 Linked! This chat now belongs to {name}'s account.",
                            name=ctx.account.display_name)))


async def _prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Type the link code you were given."))]


async def _answer(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type the 8-character link code."), kind="error"))
    return await _redeem(ctx, msg.text)


link = Flow(
    name="link",
    title=N_("account linking"),
    first="code",
    commands=("link",), intents={AccountIntent.LINK_ACCOUNT: ""},
    summary=N_("Connect another chat account"),
    menu=(MenuEntry(N_("🔗 Link an account"), ("guest",), 11, row="guest"),
          MenuEntry(N_("🔗 Link another chat"), ("member",), 930, row="link")),
    needs_account=False,
    help=N_("/link gives you a code; send “/link CODE” from your other chat app to join the two."),
    states={"code": Ask(prompt=_prompt, on=_answer)},
    on_start=_start,
)
