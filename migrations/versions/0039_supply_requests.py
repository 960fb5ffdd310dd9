"""Requests for supply: a buyer's request, the sellers asked to quote on it (once each), and
quotes as offers that name their request

Revision ID: 0039
Revises: 0038
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')  # core.storage.types.BigId
WHEN = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'supply_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('buyer_id', sa.Integer(), nullable=False),
        sa.Column('product_type', sa.String(length=16), nullable=False),
        sa.Column('quantity_milli', BIG, nullable=False),
        sa.Column('unit', sa.String(length=12), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('max_price_minor', BIG, nullable=True),
        sa.Column('incoterm', sa.String(length=8), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('delivery_from', sa.Date(), nullable=True),
        sa.Column('delivery_to', sa.Date(), nullable=True),
        sa.Column('payment_method', sa.String(length=12), nullable=False),
        sa.Column('deadline', WHEN, nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        sa.Column('updated_at', WHEN, nullable=False),
        sa.ForeignKeyConstraint(['buyer_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_supply_requests_buyer_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supply_requests')))
    op.create_index(op.f('ix_supply_requests_buyer_id'), 'supply_requests', ['buyer_id'])
    op.create_table(
        'request_invites',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('seller_id', sa.Integer(), nullable=False),
        sa.Column('invited_at', WHEN, nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['supply_requests.id'], ondelete='CASCADE',
                                name=op.f('fk_request_invites_request_id_supply_requests')),
        sa.ForeignKeyConstraint(['seller_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_request_invites_seller_id_accounts')),
        sa.PrimaryKeyConstraint('request_id', 'seller_id', name=op.f('pk_request_invites')))
    with op.batch_alter_table('offers') as batch:
        batch.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_offers_request_id'), ['request_id'])
        batch.create_foreign_key(batch.f('fk_offers_request_id_supply_requests'),
                                 'supply_requests', ['request_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('offers') as batch:
        batch.drop_constraint(batch.f('fk_offers_request_id_supply_requests'),
                              type_='foreignkey')
        batch.drop_index(batch.f('ix_offers_request_id'))
        batch.drop_column('request_id')
    op.drop_table('request_invites')
    op.drop_index(op.f('ix_supply_requests_buyer_id'), 'supply_requests')
    op.drop_table('supply_requests')
