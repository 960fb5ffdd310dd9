"""transfer accounts: the account and reference a provider gives per payment for a bank
transfer (Stripe's customer_balance PaymentIntent and its Customer), kept per escrow

Revision ID: 0035
Revises: 0034
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'transfer_accounts',
        sa.Column('escrow_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=12), nullable=False),
        sa.Column('holder', sa.String(length=140), nullable=False),
        sa.Column('iban', sa.String(length=34), nullable=False),
        sa.Column('bic', sa.String(length=11), nullable=False),
        sa.Column('reference', sa.String(length=64), nullable=False),
        sa.Column('provider_ref', sa.String(length=80), nullable=False),
        sa.Column('customer_ref', sa.String(length=80), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('closed_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['escrow_id'], ['escrows.id'],
                                name=op.f('fk_transfer_accounts_escrow_id_escrows')),
        sa.PrimaryKeyConstraint('escrow_id', name=op.f('pk_transfer_accounts')),
        sa.UniqueConstraint('provider_ref', name=op.f('uq_transfer_accounts_provider_ref')))
    op.create_index(op.f('ix_transfer_accounts_customer_ref'), 'transfer_accounts',
                    ['customer_ref'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_transfer_accounts_customer_ref'), table_name='transfer_accounts')
    op.drop_table('transfer_accounts')
