"""consultant sessions: the live session, its relayed messages, extensions, reviews and the
consultant's reputation

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consult_reputation',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('rating_x100', sa.Integer(), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_consult_reputation_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_consult_reputation'))
    )
    op.create_table('consult_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('rate_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate_unit', sa.String(length=10), nullable=False),
    sa.Column('booked_minutes', sa.Integer(), nullable=False),
    sa.Column('extended_minutes', sa.Integer(), nullable=False),
    sa.Column('authorised_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('escrow_ref', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('starts_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consultant_joined_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seeker_joined_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_from', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.String(length=24), nullable=True),
    sa.Column('charged_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('free_used', sa.Boolean(), nullable=False),
    sa.Column('call_link', sa.String(length=300), nullable=True),
    sa.Column('recap_notes', sa.Text(), nullable=True),
    sa.Column('recap_granted_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['accounts.id'], name=op.f('fk_consult_sessions_consultant_id_accounts')),
    sa.ForeignKeyConstraint(['seeker_id'], ['accounts.id'], name=op.f('fk_consult_sessions_seeker_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consult_sessions')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_consult_sessions_booking_id'))
    )
    with op.batch_alter_table('consult_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_consult_sessions_consultant', ['consultant_id', 'ended_at'], unique=False)
        batch_op.create_index('ix_consult_sessions_pair', ['seeker_id', 'consultant_id'], unique=False)

    op.create_table('session_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('authorised_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['consult_sessions.id'], name=op.f('fk_session_extensions_session_id_consult_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_extensions')),
    sa.UniqueConstraint('reference', name=op.f('uq_session_extensions_reference')),
    sa.UniqueConstraint('session_id', 'number', name='uq_session_extensions_number')
    )
    op.create_table('session_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('file_path', sa.String(length=200), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('mime_type', sa.String(length=100), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sender_id'], ['accounts.id'], name=op.f('fk_session_messages_sender_id_accounts')),
    sa.ForeignKeyConstraint(['session_id'], ['consult_sessions.id'], name=op.f('fk_session_messages_session_id_consult_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_messages'))
    )
    with op.batch_alter_table('session_messages', schema=None) as batch_op:
        batch_op.create_index('ix_session_messages_session', ['session_id', 'id'], unique=False)

    op.create_table('session_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['accounts.id'], name=op.f('fk_session_reviews_consultant_id_accounts')),
    sa.ForeignKeyConstraint(['seeker_id'], ['accounts.id'], name=op.f('fk_session_reviews_seeker_id_accounts')),
    sa.ForeignKeyConstraint(['session_id'], ['consult_sessions.id'], name=op.f('fk_session_reviews_session_id_consult_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_reviews')),
    sa.UniqueConstraint('session_id', name=op.f('uq_session_reviews_session_id'))
    )
    with op.batch_alter_table('session_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_reviews_consultant_id'), ['consultant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('session_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_reviews_consultant_id'))

    op.drop_table('session_reviews')
    with op.batch_alter_table('session_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_session_messages_session')

    op.drop_table('session_messages')
    op.drop_table('session_extensions')
    with op.batch_alter_table('consult_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_consult_sessions_pair')
        batch_op.drop_index('ix_consult_sessions_consultant')

    op.drop_table('consult_sessions')
    op.drop_table('consult_reputation')
