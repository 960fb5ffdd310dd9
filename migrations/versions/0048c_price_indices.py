"""Agora's price indices: each index's weekly values as published (never changed once
stored), who follows which index in chat, and contracts indexed to one (the offer's and the
contract's index and premium, and each call-off's index, week used and premium)

Revision ID: 0048c
Revises: 0048b
"""
import sqlalchemy as sa
from alembic import op

revision = '0048c'
down_revision = '0048b'
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'price_index_values',
        sa.Column('index_code', sa.String(40), nullable=False),
        sa.Column('week', sa.Date(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('per_t_minor', sa.BigInteger(), nullable=True),
        sa.Column('per_mwh_minor', sa.BigInteger(), nullable=True),
        sa.Column('tonnes_milli', sa.BigInteger(), nullable=False),
        sa.Column('deals', sa.Integer(), nullable=False),
        sa.Column('dropped', sa.Integer(), nullable=False),
        sa.Column('unpublished', sa.String(16), nullable=True),
        sa.Column('published_at', AWARE, nullable=False),
        sa.PrimaryKeyConstraint('index_code', 'week', name=op.f('pk_price_index_values')))
    op.create_table(
        'price_index_followers',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('index_code', sa.String(40), nullable=False),
        sa.Column('created_at', AWARE, nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_price_index_followers_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', 'index_code',
                                name=op.f('pk_price_index_followers')))


    # Plain ADD COLUMNs of nullable columns (SQLite has them): a batch would copy tables that
    # other tables' foreign keys point at.
    for table in ('offers', 'contracts', 'deals'):
        op.add_column(table, sa.Column('price_index', sa.String(40), nullable=True))
        op.add_column(table, sa.Column('index_premium_minor', sa.BigInteger(), nullable=True))
    op.add_column('deals', sa.Column('index_week', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deals') as batch_op:
        batch_op.drop_column('index_week')
    for table in ('offers', 'contracts', 'deals'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('index_premium_minor')
            batch_op.drop_column('price_index')
    op.drop_table('price_index_followers')
    op.drop_table('price_index_values')
