"""process reminders: one row per timer and offset, so a reminder goes once

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('process_reminders',
    sa.Column('timer_id', sa.Integer(), nullable=False),
    sa.Column('offset_seconds', sa.Integer(), nullable=False),
    sa.Column('sent_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['timer_id'], ['process_timers.id'], name=op.f('fk_process_reminders_timer_id_process_timers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('timer_id', 'offset_seconds', name=op.f('pk_process_reminders'))
    )


def downgrade() -> None:
    op.drop_table('process_reminders')
