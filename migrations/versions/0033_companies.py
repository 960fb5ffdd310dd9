"""companies: company accounts, members with roles and spending limits, invitations, the audit
of decisions, purchases held for approval, and the company a deal was bought for

Revision ID: 0033
Revises: 0032
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'companies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('billing_name', sa.String(length=200), nullable=True),
        sa.Column('billing_street', sa.String(length=200), nullable=True),
        sa.Column('billing_postcode', sa.String(length=20), nullable=True),
        sa.Column('billing_town', sa.String(length=120), nullable=True),
        sa.Column('billing_country', sa.String(length=2), nullable=True),
        sa.Column('vat_id', sa.String(length=20), nullable=True),
        sa.Column('slack_team', sa.String(length=32), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['accounts.id'],
                                name=op.f('fk_companies_created_by_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')))
    op.create_index(op.f('ix_companies_slack_team'), 'companies', ['slack_team'], unique=False)
    op.create_table(
        'company_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('limit_minor', BIG, nullable=True),
        sa.Column('limit_currency', sa.String(length=3), nullable=True),
        sa.Column('joined_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_company_members_account_id_accounts')),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_company_members_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_company_members')),
        sa.UniqueConstraint('account_id', name=op.f('uq_company_members_account_id')))
    op.create_index(op.f('ix_company_members_company_id'), 'company_members', ['company_id'],
                    unique=False)
    op.create_table(
        'company_invites',
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('limit_minor', BIG, nullable=True),
        sa.Column('limit_currency', sa.String(length=3), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('expires_at', UTC, nullable=False),
        sa.Column('used_by', sa.Integer(), nullable=True),
        sa.Column('used_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_company_invites_company_id_companies')),
        sa.ForeignKeyConstraint(['created_by'], ['accounts.id'],
                                name=op.f('fk_company_invites_created_by_accounts')),
        sa.ForeignKeyConstraint(['used_by'], ['accounts.id'],
                                name=op.f('fk_company_invites_used_by_accounts')),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_company_invites')))
    op.create_table(
        'company_audit',
        sa.Column('id', BIG, nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['accounts.id'],
                                name=op.f('fk_company_audit_actor_id_accounts')),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_company_audit_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_company_audit')))
    op.create_index(op.f('ix_company_audit_company_id'), 'company_audit', ['company_id'],
                    unique=False)
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deals_company_id'), ['company_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deals_company_id_companies'), 'companies',
                                    ['company_id'], ['id'])
    op.create_table(
        'purchase_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('requester_id', sa.Integer(), nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=True),
        sa.Column('terms', sa.JSON(), nullable=False),
        sa.Column('total_minor', BIG, nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('decided_at', UTC, nullable=True),
        sa.Column('result_offer_id', sa.Integer(), nullable=True),
        sa.Column('result_deal_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_purchase_requests_company_id_companies')),
        sa.ForeignKeyConstraint(['decided_by'], ['accounts.id'],
                                name=op.f('fk_purchase_requests_decided_by_accounts')),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], ondelete='CASCADE',
                                name=op.f('fk_purchase_requests_listing_id_listings')),
        sa.ForeignKeyConstraint(['offer_id'], ['offers.id'],
                                name=op.f('fk_purchase_requests_offer_id_offers')),
        sa.ForeignKeyConstraint(['requester_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_purchase_requests_requester_id_accounts')),
        sa.ForeignKeyConstraint(['result_deal_id'], ['deals.id'],
                                name=op.f('fk_purchase_requests_result_deal_id_deals')),
        sa.ForeignKeyConstraint(['result_offer_id'], ['offers.id'],
                                name=op.f('fk_purchase_requests_result_offer_id_offers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_requests')))
    op.create_index(op.f('ix_purchase_requests_company_id'), 'purchase_requests', ['company_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_table('purchase_requests')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deals_company_id_companies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deals_company_id'))
        batch_op.drop_column('company_id')
    op.drop_table('company_audit')
    op.drop_table('company_invites')
    op.drop_table('company_members')
    op.drop_table('companies')
