"""/language: the language Agora writes in, chosen in one tap, before registering or after.

The nine languages are offered by their own names. Before registering the choice is kept on
the chat (the engine remembers `ctx.env.language`) and registration keeps it on the account;
after, it is the account's. The confirmation is already written in the new language, and a
question left open to choose it (registration's first) comes back in that language."""

from __future__ import annotations

from dataclasses import replace

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text
from conversations.next_steps import RETURN_WHEN_DONE
from core.accounts import member as members
from core.i18n import LANGUAGES, N_, Visitor, _, current_language
from core.money.reading import read_for

PER_ROW = 3


def chosen(text: str) -> str | None:
    """The offered language `text` names: its code ("de") or its own name ("Deutsch")."""
    wanted = text.strip().casefold()
    for code, name in LANGUAGES.items():
        if wanted in (code, name.casefold()):
            return code
    return None


async def _offer(ctx: Ctx) -> list[Outbound]:
    """The nine languages as buttons, the one spoken now ticked."""
    now = current_language()
    buttons = [Button(("✓ " if code == now else "") + name, code) for code, name in LANGUAGES.items()]
    rows = tuple(tuple(buttons[i:i + PER_ROW]) for i in range(0, len(buttons), PER_ROW))
    return [Reply(_("🌐 Which language should I write in?"), rows)]


async def _on_choice(ctx: Ctx, msg: Inbound) -> Next:
    text = msg.data if isinstance(msg, Choice) else msg.text if isinstance(msg, Text) else ""
    code = chosen(text)
    if code is None:
        return Next.stay(Reply(_("Tap one of the languages below."), kind="error"))
    return await _speak(ctx, code)


async def _speak(ctx: Ctx, code: str) -> Next:
    """Keep `code` (on the account, else on the chat) and confirm in it."""
    if ctx.account is not None:
        ctx.account = await members.update(ctx.uow, ctx.account.id, language=code)
        read_for(ctx.account)
    else:
        ctx.env = replace(ctx.env, language=code)
        read_for(Visitor(code))
    return Next.end(Reply(_("✅ From now on I write in {language}.", language=LANGUAGES[code])))


async def _start(ctx: Ctx) -> Next | None:
    """`/language de` (or `/language Deutsch`) changes it at once; a flow left open to choose
    comes back afterwards."""
    here = ctx.whereabouts.here if ctx.whereabouts else {}
    if here and not here.get("paused"):
        ctx.data[RETURN_WHEN_DONE] = True
    code = chosen(str(ctx.data.get("args") or ""))
    return await _speak(ctx, code) if code else None


language = Flow(
    name="language",
    title=N_("the language choice"),
    first="choose",
    commands=("language",), summary=N_("Choose the language I write in"),
    menu=(MenuEntry(N_("🌐 Language"), ("guest",), 12, row="guest"),),
    needs_account=False, parks=False,
    help=N_("Tap the language I should write in. You can change it at any time with /language "
            "or in your profile."),
    states={"choose": Ask(prompt=_offer, on=_on_choice)},
    on_start=_start,
)
