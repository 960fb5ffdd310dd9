"""Session packages: consultants offer packages, seekers buy them, bookings draw sessions from
them; an escrow's parts released one by one (`escrows.drawn`)

Revision ID: 0046
Revises: 0045
"""
import sqlalchemy as sa
from alembic import op

AWARE = sa.DateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')

revision = '0046'
down_revision = '0045'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'session_packages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('consultant_id', sa.Integer(),
                  sa.ForeignKey('accounts.id', ondelete='CASCADE'), nullable=False),
        sa.Column('sessions', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('price_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('valid_days', sa.Integer(), nullable=False),
        sa.Column('refund_rule', sa.String(8), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('monthly', sa.Boolean(), nullable=False, server_default='0'),
        sa.Column('created_at', AWARE, nullable=False))
    op.create_index('ix_session_packages_consultant_id', 'session_packages', ['consultant_id'])
    op.create_table(
        'retainers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('package_id', sa.Integer(), sa.ForeignKey('session_packages.id'),
                  nullable=False),
        sa.Column('seeker_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('consultant_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('sessions', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('price_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('refund_rule', sa.String(8), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.Column('consent_at', AWARE, nullable=False),
        sa.Column('renews_at', AWARE, nullable=True),
        sa.Column('cancelled_at', AWARE, nullable=True),
        sa.Column('cancelled_by', sa.Integer(), nullable=True),
        sa.Column('created_at', AWARE, nullable=False))
    op.create_index('ix_retainers_seeker_id', 'retainers', ['seeker_id'])
    op.create_index('ix_retainers_consultant_id', 'retainers', ['consultant_id'])
    op.create_index('ix_retainers_status', 'retainers', ['status'])
    op.create_table(
        'package_purchases',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('package_id', sa.Integer(), sa.ForeignKey('session_packages.id'),
                  nullable=False),
        sa.Column('seeker_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('consultant_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('sessions', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('price_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('valid_days', sa.Integer(), nullable=False),
        sa.Column('refund_rule', sa.String(8), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('reserved', sa.Integer(), nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        sa.Column('paid_at', AWARE, nullable=True),
        sa.Column('expires_at', AWARE, nullable=True),
        sa.Column('settled_at', AWARE, nullable=True),
        sa.Column('reminded_at', AWARE, nullable=True),
        sa.Column('retainer_id', sa.Integer(), sa.ForeignKey('retainers.id'), nullable=True),
        sa.Column('month', sa.Integer(), nullable=True),
        sa.Column('starts_at', AWARE, nullable=True),
        sa.Column('created_at', AWARE, nullable=False),
        sa.UniqueConstraint('retainer_id', 'month', name='uq_package_purchases_retainer_month'))
    op.create_index('ix_package_purchases_pair', 'package_purchases',
                    ['seeker_id', 'consultant_id'])
    op.create_index('ix_package_purchases_status', 'package_purchases', ['status'])
    op.create_table(
        'package_uses',
        sa.Column('booking_id', sa.Integer(), sa.ForeignKey('bookings.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('purchase_id', sa.Integer(), sa.ForeignKey('package_purchases.id'),
                  nullable=False),
        sa.Column('state', sa.String(10), nullable=False),
        sa.Column('amount_minor', BIG, nullable=True),
        sa.Column('refund_minor', BIG, nullable=False, server_default='0'),
        sa.Column('created_at', AWARE, nullable=False),
        sa.Column('settled_at', AWARE, nullable=True))
    op.create_index('ix_package_uses_purchase_id', 'package_uses', ['purchase_id'])
    with op.batch_alter_table('bookings') as batch_op:
        batch_op.add_column(sa.Column('package_purchase_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_bookings_package_purchase_id', ['package_purchase_id'])
        batch_op.create_foreign_key('fk_bookings_package_purchase_id', 'package_purchases',
                                    ['package_purchase_id'], ['id'])
    with op.batch_alter_table('escrows') as batch_op:
        batch_op.add_column(sa.Column('drawn', sa.BigInteger(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('escrows') as batch_op:
        batch_op.drop_column('drawn')
    with op.batch_alter_table('bookings') as batch_op:
        batch_op.drop_constraint('fk_bookings_package_purchase_id', type_='foreignkey')
        batch_op.drop_index('ix_bookings_package_purchase_id')
        batch_op.drop_column('package_purchase_id')
    op.drop_table('package_uses')
    op.drop_table('package_purchases')
    op.drop_table('retainers')
    op.drop_table('session_packages')
