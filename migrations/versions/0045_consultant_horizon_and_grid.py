"""Each consultant sets how far ahead seekers may book and the steps their start times are
offered in (15, 30 or 60 minutes), as Cal.com's event types do

Revision ID: 0045
Revises: 0044
"""
import sqlalchemy as sa
from alembic import op

revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consultant_profiles') as batch_op:
        batch_op.add_column(sa.Column('horizon_days', sa.Integer(), nullable=False,
                                      server_default='60'))
        batch_op.add_column(sa.Column('slot_minutes', sa.Integer(), nullable=False,
                                      server_default='30'))


def downgrade() -> None:
    with op.batch_alter_table('consultant_profiles') as batch_op:
        batch_op.drop_column('slot_minutes')
        batch_op.drop_column('horizon_days')
