"""companies: the team chat approval cards are posted in, and the language they are written in

Revision ID: 0036
Revises: 0035
"""
import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('companies') as batch:
        batch.add_column(sa.Column('approvals_chat', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('approvals_language', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('companies') as batch:
        batch.drop_column('approvals_language')
        batch.drop_column('approvals_chat')
