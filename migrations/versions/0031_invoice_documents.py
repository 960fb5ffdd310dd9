"""invoices: several documents per journal (a payout's statement and its commission invoice),
one of each kind; a credit note's reference to the document it credits; a note (why a credit
note credits, a commission invoice's VAT treatment)

Revision ID: 0031
Revises: 0030
"""
import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refers_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.drop_constraint('uq_invoices_journal_id', type_='unique')
        batch_op.create_unique_constraint('uq_invoices_journal_kind', ['journal_id', 'kind'])
        batch_op.create_foreign_key(batch_op.f('fk_invoices_refers_to_id_invoices'), 'invoices',
                                    ['refers_to_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invoices_refers_to_id_invoices'),
                                 type_='foreignkey')
        batch_op.drop_constraint('uq_invoices_journal_kind', type_='unique')
        batch_op.create_unique_constraint('uq_invoices_journal_id', ['journal_id'])
        batch_op.drop_column('note')
        batch_op.drop_column('refers_to_id')
