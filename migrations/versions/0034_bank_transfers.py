"""bank transfers: incoming transfers matched to escrows by their creditor reference, and when
the payer chose to pay by transfer

Revision ID: 0034
Revises: 0033
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'incoming_transfers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_ref', sa.String(length=80), nullable=False),
        sa.Column('escrow_id', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('applied', sa.BigInteger(), nullable=False),
        sa.Column('back', sa.BigInteger(), nullable=False),
        sa.Column('outcome', sa.String(length=8), nullable=False),
        sa.Column('returned_ref', sa.String(length=80), nullable=True),
        sa.Column('received_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['escrow_id'], ['escrows.id'],
                                name=op.f('fk_incoming_transfers_escrow_id_escrows')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_transfers')),
        sa.UniqueConstraint('bank_ref', name=op.f('uq_incoming_transfers_bank_ref')))
    op.create_index(op.f('ix_incoming_transfers_escrow_id'), 'incoming_transfers', ['escrow_id'],
                    unique=False)
    with op.batch_alter_table('escrows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transfer_at', UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('escrows', schema=None) as batch_op:
        batch_op.drop_column('transfer_at')
    op.drop_index(op.f('ix_incoming_transfers_escrow_id'), table_name='incoming_transfers')
    op.drop_table('incoming_transfers')
