"""crypto payments: invoices at the crypto provider (BTCPay Server, or the sandbox's test
invoice) made for an escrow, and what Agora counted from each

Revision ID: 0047a
Revises: 0046
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0047a'
down_revision = '0046'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'crypto_invoices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('escrow_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=12), nullable=False),
        sa.Column('invoice_ref', sa.String(length=80), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('counted', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('expires_at', UTC, nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('seen_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['escrow_id'], ['escrows.id'],
                                name=op.f('fk_crypto_invoices_escrow_id_escrows')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crypto_invoices')),
        sa.UniqueConstraint('invoice_ref', name=op.f('uq_crypto_invoices_invoice_ref')))
    op.create_index(op.f('ix_crypto_invoices_escrow_id'), 'crypto_invoices', ['escrow_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_crypto_invoices_escrow_id'), table_name='crypto_invoices')
    op.drop_table('crypto_invoices')
