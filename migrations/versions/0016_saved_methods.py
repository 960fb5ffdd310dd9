"""saved payment methods: a card saved at booking for an authorisation made 24 h before

Revision ID: 0016
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saved_methods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('save_url', sa.String(length=500), nullable=True),
    sa.Column('customer_ref', sa.String(length=80), nullable=True),
    sa.Column('method_ref', sa.String(length=80), nullable=True),
    sa.Column('setup_ref', sa.String(length=80), nullable=True),
    sa.Column('last4', sa.String(length=4), nullable=True),
    sa.Column('failure', sa.String(length=200), nullable=True),
    sa.Column('changed_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['payer_id'], ['accounts.id'], name=op.f('fk_saved_methods_payer_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_methods')),
    sa.UniqueConstraint('reference', name=op.f('uq_saved_methods_reference')),
    sa.UniqueConstraint('token', name=op.f('uq_saved_methods_token'))
    )
    with op.batch_alter_table('saved_methods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_methods_payer_id'), ['payer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saved_methods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_methods_payer_id'))
    op.drop_table('saved_methods')
