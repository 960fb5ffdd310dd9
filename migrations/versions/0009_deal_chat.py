"""deals in chat: offer delivery window and payment method, files in threads, quality reports

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offers') as batch:
        batch.add_column(sa.Column('delivery_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('delivery_to', sa.Date(), nullable=True))
        batch.add_column(sa.Column('payment_method', sa.String(length=12), nullable=False,
                                   server_default='escrow'))
    with op.batch_alter_table('thread_messages') as batch:
        batch.add_column(sa.Column('file_path', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('file_name', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('mime_type', sa.String(length=100), nullable=True))
    op.create_table('quality_reports',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('measured', sa.JSON(), nullable=False),
    sa.Column('delivered_milli', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('adjustment_minor', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=True),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_quality_reports_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deal_id', name=op.f('pk_quality_reports'))
    )


def downgrade() -> None:
    op.drop_table('quality_reports')
    with op.batch_alter_table('thread_messages') as batch:
        batch.drop_column('mime_type')
        batch.drop_column('file_name')
        batch.drop_column('file_path')
    with op.batch_alter_table('offers') as batch:
        batch.drop_column('payment_method')
        batch.drop_column('delivery_to')
        batch.drop_column('delivery_from')
