"""`/certificates`: the certificates on one's profile — the company's, for its admins, or one's
own without a company: the list (each with its last day, “expired on …” once past it), add one
(scheme, number in the scheme's format, holder, valid until, then its document), replace one
by its renewal, remove one. Listings pick their claims from them; core checks every rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from conversations.fields import ChoiceField, FieldError, Raw, TextField
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.flows.market.amount_and_date_fields import DateField
from conversations.flows.uploads import stored_file
from conversations.forms import Form, Rule
from conversations.messages import Choice, FileUpload, Inbound, Outbound, Reply, rows
from core.certificates import rules
from core.certificates import service as certificates
from core.certificates.intents import CertificateIntent
from core.errors import DomainError
from core.i18n import N_, _, present
from core.ids import parse_id

YEARS_AHEAD = 6 * 366  # the furthest last day a form takes, in days


class Certificates(FlowState):
    """What the certificates' steps keep: the one being replaced, and the form's answers
    while its document is awaited."""

    replacing: int | None = None
    scheme: str = ""
    answers: dict[str, Any] = {}


@dataclass
class NumberField(TextField):
    """A certificate number, checked against its scheme's format when the scheme is known
    (a replacement); when the scheme is asked in the same form, the form's rule checks it."""

    scheme: str = ""

    def parse_raw(self, raw: Raw) -> str:
        text = str(super().parse_raw(raw))
        if not self.scheme:
            return text
        try:
            return rules.certificate_number(self.scheme, text)
        except DomainError as exc:
            raise FieldError(str(exc)) from None


def _number_fits(values: dict[str, Any]) -> str | None:
    scheme, number = values.get("scheme"), values.get("number")
    if not scheme or not number:
        return None
    try:
        rules.certificate_number(str(scheme), str(number))
    except DomainError as exc:
        return str(exc)
    return None


def _fields(ctx: Ctx, scheme: str) -> list[Any]:
    today = ctx.local_now().date()
    example = rules.EXAMPLES.get(scheme, rules.EXAMPLES["enplus"])
    return [
        NumberField("number", N_("Certificate number"), max_length=rules.NUMBER_MAX,
                    scheme=scheme, hint=_("As the certificate writes it, e.g. “{example}”.",
                                          example=example)),
        TextField("holder", N_("Holder"), max_length=rules.HOLDER_MAX,
                  hint=N_("The company named on the certificate.")),
        DateField("valid_until", N_("Valid until"), today=today, earliest=0,
                  latest=YEARS_AHEAD, hint=N_("The certificate's last valid day.")),
    ]


def _add_form(ctx: Ctx) -> Form:
    scheme = ChoiceField("scheme", N_("Scheme"),
                         choices=[(code, rules.scheme_name(code)) for code in rules.SCHEMES])
    return Form(id="certificate_add", title=N_("Add a certificate"),
                fields=[scheme, *_fields(ctx, "")], submit_label=N_("Next"),
                rules=[Rule(("scheme", "number"), _number_fits, fix="number")])


def _replace_form(ctx: Ctx) -> Form:
    scheme = Certificates.of(ctx).scheme
    return Form(id="certificate_replace", title=N_("Replace a certificate"),
                subtitle=rules.scheme_name(scheme), fields=_fields(ctx, scheme),
                submit_label=N_("Next"))


def line(one: certificates.Held) -> str:
    """“ENplus · DE 301 1234 · Holder GmbH · valid until 3 May 2027”, or “expired on …”."""
    state = (_("valid until {day}", day=present.day(one.valid_until)) if one.valid
             else _("⚠ expired on {day}", day=present.day(one.valid_until)))
    return f"{rules.scheme_name(one.scheme)} · {one.number} · {one.holder} · {state}"


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    held = await certificates.held(ctx.uow, ctx.account.id)
    lines = [_("📜 Certificates on your profile")]
    lines += [f"• {line(one)}" for one in held] or [_("None yet. Once added, your listings "
                                                      "claim its scheme without a document of "
                                                      "their own.")]
    buttons = [(_("➕ Add a certificate"), "add")]
    for one in held:
        name = rules.scheme_name(one.scheme)
        buttons += [(_("🔁 Replace {scheme}", scheme=name), f"replace:{one.id}"),
                    (_("🗑 Remove {scheme}", scheme=name), f"remove:{one.id}")]
    return [Reply("\n".join(lines), rows(*buttons, (_("✔ Done"), "done"), per_row=2))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    """Add, replace or remove one; Done ends."""
    assert ctx.account is not None
    choice = msg.data if isinstance(msg, Choice) else ""
    verb, __, number = choice.partition(":")
    state = Certificates.of(ctx)
    if choice == "done":
        return Next.end()
    if choice == "add":
        state.replacing, state.scheme = None, ""
        ctx.data.pop("_forms", None)
        return Next(state="add")
    held = {one.id: one for one in await certificates.held(ctx.uow, ctx.account.id)}
    which = parse_id(number)
    if verb in ("replace", "remove") and which in held:
        assert which is not None
        if verb == "remove":
            gone = await certificates.remove(ctx.uow, ctx.account.id, which)
            return Next(state="list", remember=False, replies=[Reply(_(
                "🗑 Removed {scheme} {number}.", scheme=rules.scheme_name(gone.scheme),
                number=gone.number))])
        state.replacing, state.scheme = which, held[which].scheme
        ctx.data.pop("_forms", None)
        return Next(state="replace")
    return Next.stay(Reply(_("Tap a button under the list."), kind="error"))


async def _answered(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Keep the answers; the document comes next."""
    state = Certificates.of(ctx)
    if state.replacing is None:
        state.scheme = str(values["scheme"])
    state.answers = {"number": values["number"], "holder": values["holder"],
                     "valid_until": str(values["valid_until"])}
    return Next(state="document")


async def _document_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Send the certificate itself: a PDF, or a photo of it (up to 10 MB)."))]


async def _on_document(ctx: Ctx, msg: Inbound) -> Next:
    """Keep the document and save the certificate on the profile."""
    assert ctx.account is not None
    if not isinstance(msg, FileUpload):
        return Next.stay(Reply(_("Send the certificate as a file or a photo."), kind="error"))
    state = Certificates.of(ctx)
    kept = await stored_file(ctx, msg)
    document = certificates.Document(kept.path, kept.name, kept.mime_type)
    answers = state.answers
    valid_until = date.fromisoformat(answers["valid_until"])
    if state.replacing is not None:
        saved = await certificates.replace(ctx.uow, ctx.account.id, state.replacing,
                                           answers["number"], answers["holder"], valid_until,
                                           document)
    else:
        saved = await certificates.add(ctx.uow, ctx.account.id, state.scheme, answers["number"],
                                       answers["holder"], valid_until, document)
    state.replacing, state.answers = None, {}
    return Next(state="list", remember=False, replies=[Reply(_("✅ Saved: {certificate}.",
                                                             certificate=line(saved)))])


certificates_flow = Flow(
    name="certificates",
    state_model=Certificates,
    title=N_("your certificates"),
    first="list",
    commands=("certificates",), summary=N_("Your certificates (ENplus, SBP, ISCC…)"),
    intents={CertificateIntent.CERTIFICATES: ""},
    help=N_("The certificates on your profile (your company's, as its admin): add one with its "
            "number, holder, last valid day and document, replace it by its renewal, or remove "
            "it. A listing picks its claims from the valid ones, buyers see “certified, valid "
            "until …”, and you are told a month before one runs out."),
    states={
        "list": Ask(prompt=_list, on=_on_list),
        "add": FormState(form=_add_form, done=_answered, cancel_to="list"),
        "replace": FormState(form=_replace_form, done=_answered, cancel_to="list"),
        "document": Ask(prompt=_document_prompt, on=_on_document, cancel_to="list"),
    },
)
