"""A refund asked of a provider that takes no idempotency key is leased first: when it was
last asked (a payment operation's refund, a transfer owed back)

Revision ID: 0047g
Revises: 0047f
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0047g'
down_revision = '0047f'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('payment_operations') as batch_op:
        batch_op.add_column(sa.Column('asked_at', UTC, nullable=True))
    with op.batch_alter_table('incoming_transfers') as batch_op:
        batch_op.add_column(sa.Column('return_asked_at', UTC,
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('incoming_transfers') as batch_op:
        batch_op.drop_column('return_asked_at')
    with op.batch_alter_table('payment_operations') as batch_op:
        batch_op.drop_column('asked_at')
