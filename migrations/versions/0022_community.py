"""topic boards: posts and replies, followers, reactions and reports; the starting boards

Revision ID: 0022
Revises: 0021
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import core.storage.types

# The starting boards as they were when this migration was written (core.community.boards.SEEDS).
SEEDS = (
    ("pellet-quality", "Pellet quality", "ENplus, ash and moisture, testing and complaints."),
    ("logistics-baltics", "Logistics in the Baltics",
     "Trucks, rail and ports around Riga, Tallinn and Klaipėda; who ships what, when."),
    ("biogas", "Biogas", "Biogas and biomethane: feedstock, digestate, grid injection."),
    ("consulting", "Consulting", "Questions for consultants, and consultants' answers."),
)


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('boards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boards')),
    sa.UniqueConstraint('slug', name=op.f('uq_boards_slug'))
    )

    op.create_table('board_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('hidden_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden_by', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['accounts.id'], name=op.f('fk_board_posts_author_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_board_posts_board_id_boards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by'], ['accounts.id'], name=op.f('fk_board_posts_hidden_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['board_posts.id'], name=op.f('fk_board_posts_parent_id_board_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_posts'))
    )
    with op.batch_alter_table('board_posts', schema=None) as batch_op:
        batch_op.create_index('ix_board_posts_board_parent', ['board_id', 'parent_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_posts_parent_id'), ['parent_id'], unique=False)

    op.create_table('board_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_board_subscriptions_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_board_subscriptions_board_id_boards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_subscriptions')),
    sa.UniqueConstraint('board_id', 'account_id', name='uq_board_subscriptions_member')
    )
    with op.batch_alter_table('board_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_subscriptions_account_id'), ['account_id'], unique=False)

    op.create_table('post_reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_post_reactions_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['board_posts.id'], name=op.f('fk_post_reactions_post_id_board_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_reactions')),
    sa.UniqueConstraint('post_id', 'account_id', name='uq_post_reactions_person')
    )

    op.create_table('post_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_post_reports_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['board_posts.id'], name=op.f('fk_post_reports_post_id_board_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_reports')),
    sa.UniqueConstraint('post_id', 'account_id', name='uq_post_reports_person')
    )

    boards = sa.table('boards', sa.column('slug', sa.String), sa.column('title', sa.String),
                      sa.column('description', sa.String),
                      sa.column('created_at', core.storage.types.UTCDateTime(timezone=True)))
    now = datetime.now(UTC)
    op.bulk_insert(boards, [{"slug": slug, "title": title, "description": about, "created_at": now}
                            for slug, title, about in SEEDS])


def downgrade() -> None:
    op.drop_table('post_reports')
    op.drop_table('post_reactions')
    with op.batch_alter_table('board_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_subscriptions_account_id'))

    op.drop_table('board_subscriptions')
    with op.batch_alter_table('board_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_posts_parent_id'))
        batch_op.drop_index('ix_board_posts_board_parent')

    op.drop_table('board_posts')
    op.drop_table('boards')
