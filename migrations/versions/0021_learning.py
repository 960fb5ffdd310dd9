"""the library (links, PDFs, insights) and gatherings (webinars, trade shows, meetups) with RSVPs
(their start timers use process_timers)

Revision ID: 0021
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gatherings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('join_url', sa.String(length=500), nullable=True),
    sa.Column('recording_url', sa.String(length=500), nullable=True),
    sa.Column('publisher_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publisher_id'], ['accounts.id'], name=op.f('fk_gatherings_publisher_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gatherings'))
    )
    with op.batch_alter_table('gatherings', schema=None) as batch_op:
        batch_op.create_index('ix_gatherings_starts', ['status', 'starts_at'], unique=False)

    op.create_table('learning_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('file_path', sa.String(length=200), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['accounts.id'], name=op.f('fk_learning_items_author_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_items'))
    )
    with op.batch_alter_table('learning_items', schema=None) as batch_op:
        batch_op.create_index('ix_learning_items_topic', ['topic', 'id'], unique=False)

    op.create_table('gathering_rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gathering_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_gathering_rsvps_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gathering_id'], ['gatherings.id'], name=op.f('fk_gathering_rsvps_gathering_id_gatherings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gathering_rsvps')),
    sa.UniqueConstraint('gathering_id', 'account_id', name='uq_gathering_rsvps_person')
    )
    with op.batch_alter_table('gathering_rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gathering_rsvps_account_id'), ['account_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('gathering_rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gathering_rsvps_account_id'))

    op.drop_table('gathering_rsvps')
    with op.batch_alter_table('learning_items', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_items_topic')

    op.drop_table('learning_items')
    with op.batch_alter_table('gatherings', schema=None) as batch_op:
        batch_op.drop_index('ix_gatherings_starts')

    op.drop_table('gatherings')
