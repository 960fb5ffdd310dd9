"""Seller's lots at auction: a request's side (a buyer's reverse auction or a seller's lot, whose
buyers bid prices up) and the listing a lot is put up from

Revision ID: 0047e
Revises: 0047c
"""
import sqlalchemy as sa
from alembic import op

revision = '0047e'
down_revision = '0047c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('supply_requests') as batch_op:
        batch_op.add_column(sa.Column('side', sa.String(6), nullable=False,
                                      server_default='buyer'))
        batch_op.add_column(sa.Column('listing_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_supply_requests_listing_id', 'listings',
                                    ['listing_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('supply_requests') as batch_op:
        batch_op.drop_constraint('fk_supply_requests_listing_id', type_='foreignkey')
        batch_op.drop_column('listing_id')
        batch_op.drop_column('side')
