"""outbox leases: which dispatcher holds a row and since when; a chat's open rows by id

Revision ID: 0025
Revises: 0022
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types

revision = '0025'
down_revision = '0023'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'sending')")


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', core.storage.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index('ix_outbox_open_chat', ['channel', 'address', 'id'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)
    # A row a dispatcher was sending when this ran: its claim time was kept in available_at.
    op.execute("UPDATE outbox SET claimed_at = available_at WHERE status = 'sending'")


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_open_chat')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
