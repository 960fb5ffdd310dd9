"""What making a webhook endpoint needs of the deployment (filled by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass

from core.sealed import Sealer
from core.webhooks.addresses import NameResolver


@dataclass(frozen=True)
class Keys:
    """What making and posting to an endpoint needs of the deployment: the sealer of its
    secrets, whether plain HTTP to this machine is accepted (config's `webhooks_local_http`;
    then this machine's addresses are too), and what resolves an endpoint's name (none: names
    are refused, core.webhooks.addresses)."""

    sealer: Sealer
    local_http: bool
    resolver: NameResolver | None = None
