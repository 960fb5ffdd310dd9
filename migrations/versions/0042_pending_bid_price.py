"""A bid deposit keeps the price a seller typed before paying it, placed as their bid once the
deposit is paid

Revision ID: 0042
Revises: 0041
"""
import sqlalchemy as sa
from alembic import op

revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('bid_deposits') as batch_op:
        batch_op.add_column(sa.Column('price_minor', BIG, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bid_deposits') as batch_op:
        batch_op.drop_column('price_minor')
