"""seller_stats: the published ratings' total, so a rating shows their plain mean

Revision ID: 0029
Revises: 0028
"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('seller_stats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stars_total', sa.Integer(), server_default='0',
                                      nullable=False))
    # Published ratings so far: their total, from the ratings themselves.
    op.execute("UPDATE seller_stats SET stars_total = COALESCE((SELECT SUM(r.stars) FROM ratings r "
               "WHERE r.ratee_id = seller_stats.account_id AND r.published_at IS NOT NULL), 0)")


def downgrade() -> None:
    with op.batch_alter_table('seller_stats', schema=None) as batch_op:
        batch_op.drop_column('stars_total')
