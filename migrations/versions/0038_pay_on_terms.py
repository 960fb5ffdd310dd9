"""Payment on terms: a company Agora approved for it (net days and a limit on what it owes at
once), and a deal paid on terms (its net days, the invoice's due date, the reminders sent, and
when the invoice was paid)

Revision ID: 0038
Revises: 0037
"""
import sqlalchemy as sa
from alembic import op

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')  # core.storage.types.BigId


def upgrade() -> None:
    with op.batch_alter_table('companies') as batch:
        batch.add_column(sa.Column('terms_days', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('terms_limit_minor', BIG, nullable=True))
        batch.add_column(sa.Column('terms_currency', sa.String(length=3), nullable=True))
        batch.add_column(sa.Column('terms_approved_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('terms_approved_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('deals') as batch:
        batch.add_column(sa.Column('payment_days', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('payment_due_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('terms_reminded', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('terms_paid_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deals') as batch:
        for column in ('terms_paid_at', 'terms_reminded', 'payment_due_on', 'payment_days'):
            batch.drop_column(column)
    with op.batch_alter_table('companies') as batch:
        for column in ('terms_approved_at', 'terms_approved_by', 'terms_currency',
                       'terms_limit_minor', 'terms_days'):
            batch.drop_column(column)
