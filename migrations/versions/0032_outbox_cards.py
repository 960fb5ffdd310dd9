"""outbox: where the channel delivered a card (a Slack message, a Telegram message id) while
its buttons show, so a newer card of the same object can take them away

Revision ID: 0032
Revises: 0031
"""
import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_ref', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_outbox_chat_cards', ['channel', 'address', 'id'], unique=False,
                              postgresql_where=sa.text('sent_ref IS NOT NULL'),
                              sqlite_where=sa.text('sent_ref IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_chat_cards')
        batch_op.drop_column('sent_ref')
