"""consultants: profiles, bookings and their proposed times, promotions

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('starts_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('rate_kind', sa.String(length=8), nullable=False),
    sa.Column('price_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('max_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('proposed_by', sa.String(length=12), nullable=True),
    sa.Column('proposal_round', sa.Integer(), nullable=False),
    sa.Column('fee_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ended_by', sa.String(length=12), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('consultant_joined_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seeker_joined_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['accounts.id'], name=op.f('fk_bookings_consultant_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seeker_id'], ['accounts.id'], name=op.f('fk_bookings_seeker_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_consultant_start', ['consultant_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_seeker_id'), ['seeker_id'], unique=False)

    op.create_table('consultant_profiles',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('headline', sa.String(length=120), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('photo_path', sa.String(length=200), nullable=True),
    sa.Column('rate_kind', sa.String(length=8), nullable=True),
    sa.Column('session_minutes', sa.Integer(), nullable=True),
    sa.Column('price_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('weekly_hours', sa.JSON(), nullable=False),
    sa.Column('notice_minutes', sa.Integer(), nullable=False),
    sa.Column('buffer_minutes', sa.Integer(), nullable=False),
    sa.Column('daily_max', sa.Integer(), nullable=False),
    sa.Column('days_off', sa.JSON(), nullable=False),
    sa.Column('meeting_url', sa.String(length=300), nullable=True),
    sa.Column('online_until', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('live', sa.Boolean(), nullable=False),
    sa.Column('live_since', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stars_total', sa.Integer(), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('sessions_completed', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_consultant_profiles_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_consultant_profiles'))
    )
    op.create_table('promotions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('starts_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('impressions', sa.Integer(), nullable=False),
    sa.Column('profile_views', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['accounts.id'], name=op.f('fk_promotions_consultant_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions'))
    )
    with op.batch_alter_table('promotions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotions_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index('ix_promotions_running', ['category', 'ends_at'], unique=False)

    op.create_table('booking_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('starts_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('proposed_by', sa.String(length=12), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_proposals_booking_id_bookings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_proposals')),
    sa.UniqueConstraint('booking_id', 'round', 'starts_at', name='uq_booking_proposals_time')
    )
    with op.batch_alter_table('booking_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_proposals_booking_id'), ['booking_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('booking_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_proposals_booking_id'))

    op.drop_table('booking_proposals')
    with op.batch_alter_table('promotions', schema=None) as batch_op:
        batch_op.drop_index('ix_promotions_running')
        batch_op.drop_index(batch_op.f('ix_promotions_consultant_id'))

    op.drop_table('promotions')
    op.drop_table('consultant_profiles')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookings_seeker_id'))
        batch_op.drop_index('ix_bookings_consultant_start')

    op.drop_table('bookings')
