"""operator console: granted roles, sign-in links, console sessions, audit log; suspension

Revision ID: 0014
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

import core.storage.types


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('accounts') as batch:
        batch.add_column(sa.Column('suspended_at', UTC, nullable=True))
        batch.add_column(sa.Column('suspension_reason', sa.String(length=500), nullable=True))
    op.create_table('operator_roles',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('granted_by', sa.Integer(), nullable=True),
    sa.Column('granted_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_operator_roles_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by'], ['accounts.id'], name=op.f('fk_operator_roles_granted_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('account_id', 'role', name=op.f('pk_operator_roles'))
    )
    op.create_table('sign_in_links',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('expires_at', UTC, nullable=False),
    sa.Column('used_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_sign_in_links_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_sign_in_links'))
    )
    op.create_index(op.f('ix_sign_in_links_account_id'), 'sign_in_links', ['account_id'], unique=False)
    op.create_table('console_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('expires_at', UTC, nullable=False),
    sa.Column('ended_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_console_sessions_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_console_sessions'))
    )
    op.create_index(op.f('ix_console_sessions_account_id'), 'console_sessions', ['account_id'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', UTC, nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['accounts.id'], name=op.f('fk_audit_log_actor_id_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_actor_id'), 'audit_log', ['actor_id'], unique=False)
    op.create_index('ix_audit_log_action_at', 'audit_log', ['action', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_log_action_at', table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_actor_id'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_console_sessions_account_id'), table_name='console_sessions')
    op.drop_table('console_sessions')
    op.drop_index(op.f('ix_sign_in_links_account_id'), table_name='sign_in_links')
    op.drop_table('sign_in_links')
    op.drop_table('operator_roles')
    with op.batch_alter_table('accounts') as batch:
        batch.drop_column('suspension_reason')
        batch.drop_column('suspended_at')
