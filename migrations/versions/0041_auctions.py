"""Tenders and reverse auctions on a request for supply: how sellers answer, the auction's step,
extension and reserve, the close settled once, the bids and their deposits, the anonymised price
records, open or private requests placed on the map, and the quality and certifications asked

Revision ID: 0041
Revises: 0040
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None
WHEN = core.storage.types.UTCDateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('supply_requests') as batch_op:
        batch_op.add_column(sa.Column('mode', sa.String(length=8), server_default='quotes',
                                      nullable=False))
        batch_op.add_column(sa.Column('min_step_minor', BIG, nullable=True))
        batch_op.add_column(sa.Column('extend_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reserve_minor', BIG, nullable=True))
        batch_op.add_column(sa.Column('extensions', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('closed_at', WHEN, nullable=True))
        batch_op.add_column(sa.Column('told_at', WHEN, nullable=True))
        batch_op.add_column(sa.Column('max_price_mwh_minor', BIG, nullable=True))
        batch_op.add_column(sa.Column('quality', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('certifications', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('deposit_pct', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('private', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('latitude', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Double(), nullable=True))
    with op.batch_alter_table('request_invites') as batch_op:
        batch_op.add_column(sa.Column('follow_token', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_request_invites_follow_token'),
                                          ['follow_token'])
    op.create_table(
        'request_bids',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('seller_id', sa.Integer(), nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('price_minor', BIG, nullable=False),
        sa.Column('placed_at', WHEN, nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['supply_requests.id'], ondelete='CASCADE',
                                name=op.f('fk_request_bids_request_id_supply_requests')),
        sa.ForeignKeyConstraint(['seller_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_request_bids_seller_id_accounts')),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], ondelete='CASCADE',
                                name=op.f('fk_request_bids_listing_id_listings')),
        sa.ForeignKeyConstraint(['offer_id'], ['offers.id'],
                                name=op.f('fk_request_bids_offer_id_offers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_request_bids')))
    op.create_index('ix_request_bids_request_price', 'request_bids',
                    ['request_id', 'price_minor'])
    op.create_table(
        'bid_deposits',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('seller_id', sa.Integer(), nullable=False),
        sa.Column('amount_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        sa.Column('updated_at', WHEN, nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['supply_requests.id'], ondelete='CASCADE',
                                name=op.f('fk_bid_deposits_request_id_supply_requests')),
        sa.ForeignKeyConstraint(['seller_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_bid_deposits_seller_id_accounts')),
        sa.PrimaryKeyConstraint('request_id', 'seller_id', name=op.f('pk_bid_deposits')))
    op.create_table(
        'price_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('product_type', sa.String(length=16), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('price_minor', BIG, nullable=False),
        sa.Column('unit', sa.String(length=12), nullable=False),
        sa.Column('price_mwh_minor', BIG, nullable=True),
        sa.Column('volume_kwh', BIG, nullable=False),
        sa.Column('recorded_at', WHEN, nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['supply_requests.id'], ondelete='CASCADE',
                                name=op.f('fk_price_records_request_id_supply_requests')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_price_records')),
        sa.UniqueConstraint('request_id', name=op.f('uq_price_records_request_id')))
    op.create_index(op.f('ix_price_records_product_type'), 'price_records', ['product_type'])


def downgrade() -> None:
    op.drop_index(op.f('ix_price_records_product_type'), 'price_records')
    op.drop_table('price_records')
    op.drop_table('bid_deposits')
    op.drop_index('ix_request_bids_request_price', 'request_bids')
    op.drop_table('request_bids')
    with op.batch_alter_table('request_invites') as batch_op:
        batch_op.drop_constraint(op.f('uq_request_invites_follow_token'), type_='unique')
        batch_op.drop_column('follow_token')
    with op.batch_alter_table('supply_requests') as batch_op:
        for name in ('longitude', 'latitude', 'private', 'deposit_pct', 'certifications', 'quality',
                     'max_price_mwh_minor', 'told_at', 'closed_at', 'extensions', 'reserve_minor', 'extend_minutes',
                     'min_step_minor', 'mode'):
            batch_op.drop_column(name)
