"""VAT on sales: the rate a registered seller charges (accounts, companies), the VAT a deal's
buyer pays on top of the price (fixed when both accept the terms), and the VAT an escrow holds

Revision ID: 0037
Revises: 0036
"""
import sqlalchemy as sa
from alembic import op

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('accounts', 'companies'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('vat_rate', sa.String(length=8), nullable=True))
    with op.batch_alter_table('deals') as batch:
        batch.add_column(sa.Column('vat_minor', sa.BigInteger(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('vat_rate', sa.String(length=8), nullable=True))
    with op.batch_alter_table('escrows') as batch:
        batch.add_column(sa.Column('vat', sa.BigInteger(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('vat_rate', sa.String(length=8), nullable=True))


def downgrade() -> None:
    for table, amount in (('escrows', 'vat'), ('deals', 'vat_minor')):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('vat_rate')
            batch.drop_column(amount)
    for table in ('accounts', 'companies'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('vat_rate')
