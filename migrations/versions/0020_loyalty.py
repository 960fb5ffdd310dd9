"""loyalty: members with referral codes, the points ledger (journals and entries), redemptions

Revision ID: 0020
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loyalty_members',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('referred_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_loyalty_members_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referred_by'], ['accounts.id'], name=op.f('fk_loyalty_members_referred_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_loyalty_members')),
    sa.UniqueConstraint('code', name=op.f('uq_loyalty_members_code'))
    )
    op.create_table('loyalty_redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('last_reference', sa.String(length=64), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_loyalty_redemptions_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_redemptions'))
    )
    with op.batch_alter_table('loyalty_redemptions', schema=None) as batch_op:
        batch_op.create_index('ix_loyalty_redemptions_open', ['account_id', 'remaining'], unique=False)

    op.create_table('points_journals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_points_journals_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_journals')),
    sa.UniqueConstraint('key', name=op.f('uq_points_journals_key'))
    )
    with op.batch_alter_table('points_journals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_journals_account_id'), ['account_id'], unique=False)

    op.create_table('points_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=40), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['journal_id'], ['points_journals.id'], name=op.f('fk_points_entries_journal_id_points_journals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_entries'))
    )
    with op.batch_alter_table('points_entries', schema=None) as batch_op:
        batch_op.create_index('ix_points_entries_holder', ['holder', 'journal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_entries_journal_id'), ['journal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('points_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_entries_journal_id'))
        batch_op.drop_index('ix_points_entries_holder')

    op.drop_table('points_entries')
    with op.batch_alter_table('points_journals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_journals_account_id'))

    op.drop_table('points_journals')
    with op.batch_alter_table('loyalty_redemptions', schema=None) as batch_op:
        batch_op.drop_index('ix_loyalty_redemptions_open')

    op.drop_table('loyalty_redemptions')
    op.drop_table('loyalty_members')
