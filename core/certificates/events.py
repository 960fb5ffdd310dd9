"""The certificates' events: past-tense facts handed on in the commit (the catalogue listens:
the listings a certificate backs are re-read by search)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class CertificateChanged(Event):
    """Added, replaced (renewed), removed, or seen past its last valid day."""

    scheme: str
    seller_ids: tuple[int, ...]  # whose listings it backs: the company's members, or the member
