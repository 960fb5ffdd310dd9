"""A deal's terms as a PDF: the version, the parties and every field of the frozen body with a
readable label, in a stable order (fields Agora doesn't know yet are listed at the end), and
the version's SHA-256 fingerprint on every page.

A legal document: drawn for its reader (the party it is sent to or who downloads it; English
for no one in particular), every label and sentence in their language with the English beside
it; what the parties wrote (names, addresses, the listing's title, penalties) as written. The
fingerprint is of the terms' canonical JSON, never of the wording, so every language's copy
carries the same one. How each field reads is core.deals.terms.wording's."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from core.accounts.billing import Party
from core.deals import deals
from core.deals.terms import service as deal_terms
from core.deals.terms.tables import DealTerms
from core.deals.terms.wording import (
    SECTIONS,
    _deadline,
    _quality,
    _schedule,
    _spec,
    _spec_label,
    _text,
    label_of,
    main_rows,
    unknown_keys,
)
from core.errors import NotFound
from core.i18n import N_, _, bilingual
from core.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from core.pdf import Document

ROLES = (("seller", N_("Seller")), ("buyer", N_("Buyer")))
VERIFY = N_("The fingerprint is the SHA-256 of these terms as canonical JSON (keys sorted, no "
            "spaces, UTF-8), embedded in this PDF as the attached file {name}: extract it and "
            "hash it to check. Any change to the terms changes it; both parties accepted this "
            "version by its fingerprint.")


def json_name(version: int) -> str:
    """The embedded file holding the terms' canonical JSON."""
    return f"terms-v{version}.json"


def render_terms(body: Mapping[str, Any], sha256: str, version: int,
                 parties: Mapping[str, Party] | None = None, deal_id: int | None = None,
                 created_at: datetime | None = None) -> bytes:
    """The terms' PDF: title, version, the parties as frozen in `body` (or `parties`), every
    field of `body`, the fingerprint in every page's footer and the canonical JSON embedded.
    Rendered from the version alone, with its own date: the same bytes every time (for one
    reader's language: labels and sentences in it with the English beside, core.pdf)."""
    title = bilingual("Terms of deal {deal}", deal=deal_id) if deal_id else bilingual("Deal terms")
    from core.pdf import Document  # loaded when drawing (core.pdf)
    named = bilingual("version {version}", version=version)
    terms_version = bilingual("Terms version {version}", version=version)
    doc = Document(f"Agora: {title}, {named}", footer=f"{terms_version} · SHA-256 {sha256}")
    if created_at is not None:
        doc.set_creation_date(created_at)
    doc.embed_file(bytes=deal_terms.canonical(dict(body)), basename=json_name(version),
                   modification_date=created_at, creation_date=created_at,
                   mime_type="application/json", desc="The terms as canonical JSON")
    doc.heading(f"Agora — {title}")
    doc.fields(((bilingual("Version"), str(version)), ("SHA-256", sha256)))
    for role, who in (parties or frozen_parties(body)).items():
        doc.fields(((bilingual(role), who.block()),))  # "Seller", "Buyer"
    doc.section(bilingual("Terms"))
    doc.fields(main_rows(body))
    for key in SECTIONS:
        if body.get(key):
            _section(doc, key, body[key], body)
    extra = [(label_of(key), _text(body[key])) for key in sorted(unknown_keys(body))]
    if extra:
        doc.section(bilingual("Other terms"))
        doc.fields(extra)
    doc.ln(4)
    doc.paragraph(bilingual(VERIFY, sep="\n\n", name=json_name(version)), size=8, grey=True)
    return doc.render()


def frozen_parties(body: Mapping[str, Any]) -> dict[str, Party]:
    """The parties as the terms froze them (none for terms frozen before parties were kept:
    their account numbers are printed with the terms)."""
    kept = body.get("parties")
    if not isinstance(kept, Mapping):
        return {}
    return {label: Party.thawed(kept[role]) for role, label in ROLES
            if isinstance(kept.get(role), Mapping)}


def _section(doc: Document, key: str, value: Any, body: Mapping[str, Any]) -> None:
    if key == "specs" and isinstance(value, Mapping):
        doc.section(bilingual("Specifications"))
        doc.fields([(_spec_label(k), _spec(k, v)) for k, v in sorted(value.items())
                    if v not in (None, "")])
    elif key == "quality" and isinstance(value, list):
        doc.section(bilingual("Quality limits"))
        doc.fields([_quality(item, str(body.get("currency") or "")) for item in value])
    elif key == "schedule" and isinstance(value, Mapping):
        doc.section(bilingual("Deliver in call-offs (a framework contract)"))
        doc.fields(_schedule(value))
    elif key == "deadlines" and isinstance(value, Mapping):
        # The deadlines were frozen in words (English), part of what the parties accepted.
        doc.section(bilingual("Deadlines"))
        ordered = sorted(value.items(), key=lambda kv: (str(kv[1]), kv[0]))  # soonest first
        doc.fields([_deadline(k, v) for k, v in ordered])
    else:
        doc.section(label_of(key))
        doc.paragraph(_text(value))



async def terms_pdf(uow: UnitOfWork, deal_id: int, actor_id: int | None,
                    version: int | None = None) -> bytes:
    """A version of the deal's terms (the latest by default) as a PDF, for its parties and
    admins; NotFound for anyone else."""
    await deals.get(uow, deal_id, actor_id)  # the parties and admins only
    terms = await (deal_terms.current(uow, deal_id) if version is None
                   else _version(uow, deal_id, version))
    if terms is None:
        raise NotFound(_("That deal has no terms yet."))
    return await _rendered(terms)


async def version_pdf(uow: UnitOfWork, terms: DealTerms, actor_id: int | None) -> bytes:
    """A version of the terms already read (by its id, through the deal's folder) as a PDF,
    for its deal's parties and admins: no second look-up by its number."""
    await deals.get(uow, terms.deal_id, actor_id)  # the parties and admins only
    return await _rendered(terms)


async def _rendered(terms: DealTerms) -> bytes:
    # The parties come from the frozen body, never from today's billing rows: a version's PDF
    # stays the one its parties accepted.
    return await asyncio.to_thread(render_terms, terms.body, terms.sha256, terms.version,
                                   deal_id=terms.deal_id, created_at=terms.created_at)


async def _version(uow: UnitOfWork, deal_id: int, version: int) -> DealTerms | None:
    return await uow.session.scalar(select(DealTerms).where(
        DealTerms.deal_id == deal_id, DealTerms.version == version))
