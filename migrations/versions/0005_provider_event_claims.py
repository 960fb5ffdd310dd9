"""provider events are claimed before they are processed: done_at marks them processed

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('provider_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('done_at', core.storage.types.UTCDateTime(timezone=True),
                                      nullable=True))
    # Rows from before were processed when they were written.
    op.execute("UPDATE provider_events SET done_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('provider_events', schema=None) as batch_op:
        batch_op.drop_column('done_at')
