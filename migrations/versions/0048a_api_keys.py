"""The API for companies' own systems: their keys (hashed, scoped, revocable, acting as one
colleague) and the answers kept for POSTs' idempotency keys

Revision ID: 0048a
Revises: 0048c
"""
import sqlalchemy as sa
from alembic import op

AWARE = sa.DateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')

revision = '0048a'
down_revision = '0048c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('company_id', sa.Integer(), sa.ForeignKey('companies.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('name', sa.String(60), nullable=False),
        sa.Column('lookup', sa.String(16), nullable=False, unique=True),
        sa.Column('secret_sha256', sa.String(64), nullable=False),
        sa.Column('scopes', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),
        sa.Column('created_at', AWARE, nullable=False),
        sa.Column('last_used_at', AWARE, nullable=True),
        sa.Column('revoked_at', AWARE, nullable=True),
        sa.Column('revoked_by', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=True))
    op.create_index('ix_api_keys_company_id', 'api_keys', ['company_id'])
    op.create_table(
        'api_replays',
        sa.Column('id', BIG, primary_key=True),
        sa.Column('company_id', sa.Integer(), sa.ForeignKey('companies.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('idempotency_key', sa.String(255), nullable=False),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', AWARE, nullable=False),
        sa.UniqueConstraint('company_id', 'idempotency_key', name='uq_api_replay'))


def downgrade() -> None:
    op.drop_table('api_replays')
    op.drop_index('ix_api_keys_company_id', table_name='api_keys')
    op.drop_table('api_keys')
