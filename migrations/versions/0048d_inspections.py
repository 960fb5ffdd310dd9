"""Inspections booked into a deal: inspectors' fixed fee on their consultant profile, the
inspections themselves, and who measured a deal's quality report

Revision ID: 0048d
Revises: 0048e
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0048d'
down_revision = '0048e'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('consultant_profiles') as batch_op:
        batch_op.add_column(sa.Column('inspection_fee_minor', BIG, nullable=True))
    with op.batch_alter_table('quality_reports') as batch_op:
        batch_op.add_column(sa.Column('measured_by', sa.String(120), nullable=True))
    op.create_table(
        'inspections',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('deal_id', sa.Integer(), sa.ForeignKey('deals.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('open_deal_id', sa.Integer(), nullable=True),
        sa.Column('booked_by', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('inspector_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('fee_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('due_at', UTC, nullable=False),
        sa.Column('record_path', sa.String(200), nullable=True),
        sa.Column('record_name', sa.String(200), nullable=True),
        sa.Column('record_mime', sa.String(80), nullable=True),
        sa.Column('results', sa.JSON(), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.UniqueConstraint('open_deal_id', name='uq_inspections_open_deal'))
    op.create_index('ix_inspections_deal', 'inspections', ['deal_id'])
    op.create_index('ix_inspections_status', 'inspections', ['status'])


def downgrade() -> None:
    op.drop_index('ix_inspections_status', table_name='inspections')
    op.drop_index('ix_inspections_deal', table_name='inspections')
    op.drop_table('inspections')
    with op.batch_alter_table('quality_reports') as batch_op:
        batch_op.drop_column('measured_by')
    with op.batch_alter_table('consultant_profiles') as batch_op:
        batch_op.drop_column('inspection_fee_minor')
