"""The countries an inspector serves, on the consultant's profile: a deal's party is offered
the inspectors serving the goods' country

Revision ID: 0048h
Revises: 0048a
"""
import sqlalchemy as sa
from alembic import op

revision = '0048h'
down_revision = '0048a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consultant_profiles') as batch_op:
        batch_op.add_column(sa.Column('countries_served', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('consultant_profiles') as batch_op:
        batch_op.drop_column('countries_served')
