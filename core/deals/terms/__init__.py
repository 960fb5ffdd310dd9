"""A deal's terms: the frozen versions both parties accept, each with its fingerprint
(`service`), a version as a PDF in its reader's language (`pdf`), and the goods and the
deadlines in words (`goods`, `deadline_words`), with the versions' table. Above
core.deals.deals, which a version accepted by both moves on; the VAT fixed at that
acceptance is core.deals.sale_vat, which deals.py itself calls, so it stays beside it."""
