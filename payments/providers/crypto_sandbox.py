"""The sandbox's crypto: a test invoice on Agora's own pay page, "paid" there with a test
payment of any amount; nothing leaves the ledger, clearly test mode."""

from __future__ import annotations

from core.money.model import Money
from payments.providers.base import Charge, CryptoReturn, CryptoState, Invoiced


class SandboxCrypto:
    """Crypto invoices in test mode: the pay page shows one, with a test payment to send."""

    name = "sandbox"
    test_mode = True
    idempotent = True  # its returns are keyed in memory

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url.rstrip("/")
        self.calls: list[tuple[str, str]] = []

    async def create_invoice(self, key: str, charge: Charge, amount: Money, minutes: int
                             ) -> Invoiced:
        self.calls.append(("invoice", key))
        return Invoiced(f"sbx_inv_{key.replace(':', '_')}",
                        f"{self.public_url}/pay/{charge.pay_token}/crypto")

    async def invoice_state(self, ref: str, amount: Money) -> CryptoState:
        # Test payments are counted as they are sent (PaymentsService.send_test_crypto).
        return CryptoState("new", 0, 0)

    async def return_crypto(self, key: str, invoice_ref: str, amount: Money) -> CryptoReturn:
        self.calls.append(("return", key))
        return CryptoReturn(f"sbx_crypto_return_{key}", None)
