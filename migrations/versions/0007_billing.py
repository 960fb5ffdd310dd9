"""billing: each account's legal name, address and VAT number, for invoices and VAT treatment

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (
    ("billing_name", 200), ("billing_street", 200), ("billing_postcode", 20),
    ("billing_town", 120), ("billing_country", 2), ("vat_id", 20),
)


def upgrade() -> None:
    # Nullable, so existing accounts need no backfill: they are asked at their next deal.
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
