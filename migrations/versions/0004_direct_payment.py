"""direct payment: when each party of a goods escrow chose to arrange payment directly

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, so existing escrows need no backfill: nobody has chosen it yet.
    with op.batch_alter_table('escrows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direct_payer_at',
                                      core.storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('direct_payee_at',
                                      core.storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('escrows', schema=None) as batch_op:
        batch_op.drop_column('direct_payee_at')
        batch_op.drop_column('direct_payer_at')
