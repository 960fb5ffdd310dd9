"""Carbon tracked over time: a carbon record per completed deal (what its carbon receipt shows,
with the method's values), recorded here for the deals completed before; and a member's choice
to show their figure on the public site (off)

Revision ID: 0047c
Revises: 0047a
"""
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

from core.storage.types import UTCDateTime

AWARE = sa.DateTime(timezone=True)

revision = '0047c'
down_revision = '0047a'
branch_labels = None
depends_on = None
# A closed deal's reviews closed 14 days after it completed (core.process.deals: the timer of
# "completed"); its last update is then that close.
REVIEWS_CLOSE = timedelta(days=14)


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it): a batch would copy the accounts table, which other
    # tables' foreign keys refuse on a database with members in it.
    op.add_column('accounts', sa.Column('carbon_public', sa.Boolean(),
                                        server_default=sa.text('false'), nullable=False))
    op.create_table(
        'carbon_records',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('buyer_id', sa.Integer(), nullable=False),
        sa.Column('seller_id', sa.Integer(), nullable=False),
        sa.Column('product_type', sa.String(16), nullable=False),
        sa.Column('quantity_milli', sa.BigInteger(), nullable=False),
        sa.Column('unit', sa.String(10), nullable=False),
        sa.Column('energy_mwh_per_unit', sa.String(24), nullable=False),
        sa.Column('end_use', sa.String(16), nullable=False),
        sa.Column('comparator_g_mj', sa.String(12), nullable=False),
        sa.Column('product_g_mj', sa.String(12), nullable=False),
        sa.Column('avoided_g', sa.BigInteger(), nullable=False),
        sa.Column('completed_at', AWARE, nullable=False),
        sa.Column('created_at', AWARE, nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'],
                                name=op.f('fk_carbon_records_deal_id_deals'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['buyer_id'], ['accounts.id'],
                                name=op.f('fk_carbon_records_buyer_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['seller_id'], ['accounts.id'],
                                name=op.f('fk_carbon_records_seller_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_carbon_records')),
        sa.UniqueConstraint('deal_id', name=op.f('uq_carbon_records_deal_id')))
    op.create_index('ix_carbon_records_buyer_id', 'carbon_records', ['buyer_id'])
    op.create_index('ix_carbon_records_seller_id', 'carbon_records', ['seller_id'])
    _backfill()


def _backfill() -> None:
    """Every deal completed before this migration, as its carbon receipt computes it now (the
    taxonomy's values of today; none has changed since receipts were first issued)."""
    from core.deals.carbon.totals import entry_for  # the one rule the handler uses too

    deals = sa.table('deals', sa.column('id'), sa.column('listing_id'), sa.column('buyer_id'),
                     sa.column('seller_id'), sa.column('status'), sa.column('quantity_milli'),
                     sa.column('updated_at', UTCDateTime()))
    listings = sa.table('listings', sa.column('id'), sa.column('product_type'),
                        sa.column('unit'), sa.column('energy_mwh_per_unit'))
    bind = op.get_bind()
    rows = bind.execute(sa.select(
        deals.c.id, deals.c.buyer_id, deals.c.seller_id, deals.c.status, deals.c.quantity_milli,
        deals.c.updated_at, listings.c.product_type, listings.c.unit,
        listings.c.energy_mwh_per_unit)
        .select_from(deals.join(listings, listings.c.id == deals.c.listing_id))
        .where(deals.c.status.in_(('completed', 'closed'))).order_by(deals.c.id)).all()
    now, kept = datetime.now(UTC), []
    for deal_id, buyer, seller, status, milli, updated, kind, unit, energy in rows:
        completed = updated - REVIEWS_CLOSE if status == 'closed' else updated
        try:
            per_unit = Decimal(energy)
        except InvalidOperation:  # no readable energy content: no receipt, no record
            continue
        entry = entry_for(deal_id, buyer, seller, kind, Decimal(milli) / 1000, unit, per_unit,
                          completed)
        kept.append({
            'deal_id': deal_id, 'buyer_id': buyer, 'seller_id': seller,
            'product_type': entry.product_type, 'quantity_milli': milli, 'unit': unit,
            'energy_mwh_per_unit': energy, 'end_use': entry.end_use,
            'comparator_g_mj': str(entry.comparator_g_mj),
            'product_g_mj': str(entry.product_g_mj), 'avoided_g': int(entry.avoided_kg * 1000),
            'completed_at': completed, 'created_at': now})
    if kept:
        records = sa.table('carbon_records', *(sa.column(name) for name in kept[0]
                                               if not name.endswith('_at')),
                           sa.column('completed_at', UTCDateTime()),
                           sa.column('created_at', UTCDateTime()))
        bind.execute(records.insert(), kept)


def downgrade() -> None:
    op.drop_index('ix_carbon_records_seller_id', table_name='carbon_records')
    op.drop_index('ix_carbon_records_buyer_id', table_name='carbon_records')
    op.drop_table('carbon_records')
    op.drop_column('accounts', 'carbon_public')
