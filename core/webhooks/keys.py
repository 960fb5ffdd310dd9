"""What making a webhook endpoint needs of the deployment (filled by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass

from core.sealed import Sealer


@dataclass(frozen=True)
class Keys:
    """What making an endpoint needs of the deployment: the sealer of its secrets, and whether
    plain HTTP to this machine is accepted (config's `webhooks_local_http`)."""

    sealer: Sealer
    local_http: bool
