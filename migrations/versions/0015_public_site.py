"""ratings and session reviews remember whether their author lets Agora quote them on the site

Revision ID: 0015
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('ratings', 'session_reviews'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('quote_ok', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    for table in ('ratings', 'session_reviews'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('quote_ok')
