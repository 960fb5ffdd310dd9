"""money: ledger, escrows, payments, invoices

Revision ID: 0003
Revises: 0002
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import core.storage.types  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invoice_counters',
    sa.Column('series', sa.String(length=8), nullable=False),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', name=op.f('pk_invoice_counters'))
    )
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('owner', 'purpose', 'reference', 'currency', name=op.f('uq_ledger_accounts_owner'))
    )
    op.create_table('provider_events',
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source', 'external_id', name=op.f('pk_provider_events'))
    )
    op.create_table('escrows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('market', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=False),
    sa.Column('payee_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('refunded', sa.BigInteger(), nullable=False),
    sa.Column('commission', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('payout_state', sa.String(length=12), nullable=False),
    sa.Column('provider', sa.String(length=12), nullable=False),
    sa.Column('provider_ref', sa.String(length=80), nullable=True),
    sa.Column('charge_ref', sa.String(length=80), nullable=True),
    sa.Column('pay_token', sa.String(length=40), nullable=False),
    sa.Column('pay_url', sa.String(length=500), nullable=True),
    sa.Column('changed_by', sa.String(length=80), nullable=False),
    sa.Column('change_reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['payee_id'], ['accounts.id'], name=op.f('fk_escrows_payee_id_accounts')),
    sa.ForeignKeyConstraint(['payer_id'], ['accounts.id'], name=op.f('fk_escrows_payer_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escrows')),
    sa.UniqueConstraint('pay_token', name=op.f('uq_escrows_pay_token')),
    sa.UniqueConstraint('reference', name=op.f('uq_escrows_reference'))
    )
    with op.batch_alter_table('escrows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escrows_provider_ref'), ['provider_ref'], unique=False)

    op.create_table('payout_accounts',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=12), nullable=False),
    sa.Column('external_id', sa.String(length=80), nullable=False),
    sa.Column('ready', sa.Boolean(), nullable=False),
    sa.Column('updated_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_payout_accounts_account_id_accounts')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_payout_accounts')),
    sa.UniqueConstraint('external_id', name=op.f('uq_payout_accounts_external_id'))
    )
    op.create_table('ledger_journals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrows.id'], name=op.f('fk_ledger_journals_escrow_id_escrows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_journals')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_journals_key'))
    )
    with op.batch_alter_table('ledger_journals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_journals_escrow_id'), ['escrow_id'], unique=False)

    op.create_table('payment_operations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('commission', sa.BigInteger(), nullable=False),
    sa.Column('refund', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('provider_ref', sa.String(length=80), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', core.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrows.id'], name=op.f('fk_payment_operations_escrow_id_escrows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_operations')),
    sa.UniqueConstraint('key', name=op.f('uq_payment_operations_key'))
    )
    with op.batch_alter_table('payment_operations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_operations_escrow_id'), ['escrow_id'], unique=False)

    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=True),
    sa.Column('journal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=False),
    sa.Column('payee_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('commission', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('created_at', core.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrows.id'], name=op.f('fk_invoices_escrow_id_escrows')),
    sa.ForeignKeyConstraint(['journal_id'], ['ledger_journals.id'], name=op.f('fk_invoices_journal_id_ledger_journals')),
    sa.ForeignKeyConstraint(['payee_id'], ['accounts.id'], name=op.f('fk_invoices_payee_id_accounts')),
    sa.ForeignKeyConstraint(['payer_id'], ['accounts.id'], name=op.f('fk_invoices_payer_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('journal_id', name=op.f('uq_invoices_journal_id')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number')),
    sa.UniqueConstraint('token', name=op.f('uq_invoices_token'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_escrow_id'), ['escrow_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('journal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name=op.f('fk_ledger_entries_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['journal_id'], ['ledger_journals.id'], name=op.f('fk_ledger_entries_journal_id_ledger_journals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_account', ['account_id', 'journal_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_account')

    op.drop_table('ledger_entries')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoices_escrow_id'))

    op.drop_table('invoices')
    with op.batch_alter_table('payment_operations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_operations_escrow_id'))

    op.drop_table('payment_operations')
    with op.batch_alter_table('ledger_journals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_journals_escrow_id'))

    op.drop_table('ledger_journals')
    op.drop_table('payout_accounts')
    with op.batch_alter_table('escrows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escrows_provider_ref'))

    op.drop_table('escrows')
    op.drop_table('provider_events')
    op.drop_table('ledger_accounts')
    op.drop_table('invoice_counters')
