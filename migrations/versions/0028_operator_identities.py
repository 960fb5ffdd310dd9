"""operators named by channel identity (AGORA_ADMINS seeds them): one list per database

Revision ID: 0028
Revises: 0027
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('operator_identities',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('user_key', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('added_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('channel', 'user_key', 'role', name=op.f('pk_operator_identities'))
    )


def downgrade() -> None:
    op.drop_table('operator_identities')
