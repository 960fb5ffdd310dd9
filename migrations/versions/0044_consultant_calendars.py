"""Consultants' own calendars: the connection (its secrets sealed), the busy times read from it,
and each member's private ICS address of their bookings

Revision ID: 0044
Revises: 0043
"""
import sqlalchemy as sa
from alembic import op

revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None
AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'connected_calendars',
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('kind', sa.String(8), nullable=False),
        sa.Column('host', sa.String(200), nullable=False),
        sa.Column('address_sealed', sa.Text(), nullable=False),
        sa.Column('username', sa.String(200), nullable=True),
        sa.Column('password_sealed', sa.Text(), nullable=True),
        sa.Column('calendar_url', sa.String(500), nullable=True),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('status', sa.String(12), nullable=False),
        sa.Column('problem', sa.String(16), nullable=True),
        sa.Column('failing_since', AWARE, nullable=True),
        sa.Column('told_at', AWARE, nullable=True),
        sa.Column('synced_at', AWARE, nullable=True),
        sa.Column('connected_at', AWARE, nullable=False),
    )
    op.create_table(
        'calendar_busy',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('starts_at', AWARE, nullable=False),
        sa.Column('ends_at', AWARE, nullable=False),
    )
    op.create_index('ix_calendar_busy_account_start', 'calendar_busy', ['account_id', 'starts_at'])
    op.create_table(
        'calendar_feeds',
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('token', sa.String(64), nullable=False, unique=True),
        sa.Column('created_at', AWARE, nullable=False),
    )


def downgrade() -> None:
    op.drop_table('calendar_feeds')
    op.drop_index('ix_calendar_busy_account_start', 'calendar_busy')
    op.drop_table('calendar_busy')
    op.drop_table('connected_calendars')
