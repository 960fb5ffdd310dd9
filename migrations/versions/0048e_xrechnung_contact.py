"""What an XRechnung asks beyond EN 16931: a seller's phone for its contact (accounts), and
a German public buyer's Leitweg-ID beside its company's billing details (companies)

Revision ID: 0048e
Revises: 0047h
"""
import sqlalchemy as sa
from alembic import op

revision = '0048e'
down_revision = '0047h'
branch_labels = None
depends_on = None

def upgrade() -> None:
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
    with op.batch_alter_table('companies') as batch_op:
        batch_op.add_column(sa.Column('leitweg_id', sa.String(length=46), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('companies') as batch_op:
        batch_op.drop_column('leitweg_id')
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_column('phone')
