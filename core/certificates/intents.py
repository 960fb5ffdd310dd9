"""What the buttons about a profile's certificates point a person to (`CertificateIntent`)."""

from __future__ import annotations

from core.actions import Intent


class CertificateIntent:
    """The profile's certificates: the list, to add, replace or remove one."""

    CERTIFICATES = Intent("certificates")
