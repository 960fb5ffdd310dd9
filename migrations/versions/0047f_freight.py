"""Freight: hauliers, a deal's requests for transport, the hauliers' quotes and updates

Revision ID: 0047f
Revises: 0047b
"""
import sqlalchemy as sa
from alembic import op

AWARE = sa.DateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')

revision = '0047f'
down_revision = '0047b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hauliers',
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('routes', sa.JSON(), nullable=False),
        sa.Column('loading_types', sa.JSON(), nullable=False),
        sa.Column('capacity_milli', BIG, nullable=False),
        sa.Column('unit', sa.String(4), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', AWARE, nullable=False))
    op.create_table(
        'freight_requests',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('deal_id', sa.Integer(), sa.ForeignKey('deals.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('asked_by', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('from_place', sa.String(120), nullable=False),
        sa.Column('from_country', sa.String(2), nullable=False),
        sa.Column('to_place', sa.String(120), nullable=False),
        sa.Column('to_country', sa.String(2), nullable=False),
        sa.Column('quantity_milli', BIG, nullable=False),
        sa.Column('unit', sa.String(4), nullable=False),
        sa.Column('load_from', sa.Date(), nullable=False),
        sa.Column('load_to', sa.Date(), nullable=False),
        sa.Column('loading_type', sa.String(16), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('status', sa.String(12), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=True),
        sa.Column('closes_at', AWARE, nullable=False),
        sa.Column('position', sa.String(120), nullable=True),
        sa.Column('eta', sa.Date(), nullable=True),
        sa.Column('cmr_path', sa.String(200), nullable=True),
        sa.Column('cmr_mime', sa.String(40), nullable=True),
        sa.Column('created_at', AWARE, nullable=False),
        sa.Column('updated_at', AWARE, nullable=False))
    op.create_index('ix_freight_requests_deal', 'freight_requests', ['deal_id'])
    op.create_index('ix_freight_requests_status', 'freight_requests', ['status'])
    op.create_table(
        'freight_quotes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(),
                  sa.ForeignKey('freight_requests.id', ondelete='CASCADE'), nullable=False),
        sa.Column('haulier_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('price_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('pickup_on', sa.Date(), nullable=False),
        sa.Column('transit_days', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('created_at', AWARE, nullable=False),
        sa.Column('updated_at', AWARE, nullable=False),
        sa.UniqueConstraint('request_id', 'haulier_id', name='uq_freight_quote'))
    op.create_table(
        'freight_invites',
        sa.Column('request_id', sa.Integer(),
                  sa.ForeignKey('freight_requests.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('haulier_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'),
                  primary_key=True))
    op.create_table(
        'freight_updates',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(),
                  sa.ForeignKey('freight_requests.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(12), nullable=False),
        sa.Column('position', sa.String(120), nullable=True),
        sa.Column('eta', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('at', AWARE, nullable=False))
    op.create_index('ix_freight_updates_request_id', 'freight_updates', ['request_id'])


def downgrade() -> None:
    op.drop_table('freight_updates')
    op.drop_table('freight_invites')
    op.drop_table('freight_quotes')
    op.drop_index('ix_freight_requests_status', 'freight_requests')
    op.drop_index('ix_freight_requests_deal', 'freight_requests')
    op.drop_table('freight_requests')
    op.drop_table('hauliers')
