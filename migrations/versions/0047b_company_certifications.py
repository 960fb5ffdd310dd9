"""Certificates on the profile: a company's or a member's own, with their documents; the
currencies and ways to pay a seller accepts

Revision ID: 0047b
Revises: 0047e
"""
import sqlalchemy as sa
from alembic import op

AWARE = sa.DateTime(timezone=True)

revision = '0047b'
down_revision = '0047e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'certificates',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('account_id', sa.Integer(),
                  sa.ForeignKey('accounts.id', ondelete='CASCADE'), nullable=False),
        sa.Column('company_id', sa.Integer(),
                  sa.ForeignKey('companies.id', ondelete='CASCADE'), nullable=True),
        sa.Column('scheme', sa.String(16), nullable=False),
        sa.Column('number', sa.String(60), nullable=False),
        sa.Column('holder', sa.String(200), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('file_path', sa.String(200), nullable=False),
        sa.Column('file_name', sa.String(200), nullable=False),
        sa.Column('mime_type', sa.String(100), nullable=False),
        sa.Column('sha256', sa.String(64), nullable=False),
        sa.Column('warned_at', AWARE, nullable=True),
        sa.Column('created_at', AWARE, nullable=False),
        sa.Column('updated_at', AWARE, nullable=False))
    op.create_index('ix_certificates_account_id', 'certificates', ['account_id'])
    op.create_index('ix_certificates_company_id', 'certificates', ['company_id'])
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.add_column(sa.Column('currencies', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('payment_methods', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_column('payment_methods')
        batch_op.drop_column('currencies')
    op.drop_table('certificates')
