"""promotions remember when their consultant was told they are ending

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('promotions') as batch:
        batch.add_column(sa.Column('reminded_at', core.storage.types.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('promotions') as batch:
        batch.drop_column('reminded_at')
