"""catalog changes: the sequence every worker's search indexes follow

Revision ID: 0026
Revises: 0022
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_changes',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_catalog_changes'))
    )
    with op.batch_alter_table('catalog_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_changes_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('catalog_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_changes_created_at'))
    op.drop_table('catalog_changes')
