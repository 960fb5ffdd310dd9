"""contracts: framework contracts delivered in call-offs, each call-off an ordinary deal

Revision ID: 0019
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('quantity_milli', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('price_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('call_offs', sa.Integer(), nullable=False),
    sa.Column('every', sa.String(length=8), nullable=False),
    sa.Column('first_date', sa.Date(), nullable=False),
    sa.Column('called', sa.Integer(), nullable=False),
    sa.Column('terms_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['accounts.id'], name=op.f('fk_contracts_buyer_id_accounts')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_contracts_listing_id_listings')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_contracts_offer_id_offers')),
    sa.ForeignKeyConstraint(['seller_id'], ['accounts.id'], name=op.f('fk_contracts_seller_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_contracts_offer_id'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_seller_id'), ['seller_id'], unique=False)

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_offs', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('call_off_every', sa.String(length=8), nullable=True))

    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('call_off', sa.Integer(), nullable=True))
        batch_op.alter_column('offer_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_deals_contract_id'), ['contract_id'], unique=False)
        batch_op.create_unique_constraint('uq_deals_call_off', ['contract_id', 'call_off'])
        batch_op.create_foreign_key(batch_op.f('fk_deals_contract_id_contracts'), 'contracts',
                                    ['contract_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deals_contract_id_contracts'), type_='foreignkey')
        batch_op.drop_constraint('uq_deals_call_off', type_='unique')
        batch_op.drop_index(batch_op.f('ix_deals_contract_id'))
        batch_op.alter_column('offer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('call_off')
        batch_op.drop_column('contract_id')

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_column('call_off_every')
        batch_op.drop_column('call_offs')

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_seller_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_buyer_id'))
    op.drop_table('contracts')
