"""A profile certificate remembers when it was seen past its last valid day (the listings it
backs were re-indexed then, once)

Revision ID: 0047h
Revises: 0047g
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0047h'
down_revision = '0047g'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('certificates') as batch_op:
        batch_op.add_column(sa.Column('lapsed_at', UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('certificates') as batch_op:
        batch_op.drop_column('lapsed_at')
