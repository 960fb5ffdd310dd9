"""Questions on a request for supply: a seller asks, the buyer answers for every seller asked
or for the one who asked

Revision ID: 0040
Revises: 0039
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None
WHEN = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'request_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('asker_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('asked_at', WHEN, nullable=False),
        sa.Column('answered_at', WHEN, nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['supply_requests.id'], ondelete='CASCADE',
                                name=op.f('fk_request_questions_request_id_supply_requests')),
        sa.ForeignKeyConstraint(['asker_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_request_questions_asker_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_request_questions')))
    op.create_index(op.f('ix_request_questions_request_id'), 'request_questions', ['request_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_request_questions_request_id'), 'request_questions')
    op.drop_table('request_questions')
