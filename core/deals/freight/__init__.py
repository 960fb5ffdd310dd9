"""Logistics on a deal: hauliers who serve routes, a party's request for transport, the
hauliers' quotes, the accepted one joining the deal, and the haulier's updates."""
