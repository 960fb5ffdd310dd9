"""Company webhooks: endpoints, the events that concern a company, one delivery per endpoint
and event, and each delivery's attempts

Revision ID: 0048b
Revises: 0048d
"""
import sqlalchemy as sa
from alembic import op

import core.storage.types

revision = '0048b'
down_revision = '0048d'
branch_labels = None
depends_on = None

UTC = core.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'webhook_endpoints',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('company_id', sa.Integer(), sa.ForeignKey('companies.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('url', sa.String(500), nullable=False),
        sa.Column('types', sa.JSON(), nullable=False),
        sa.Column('secret_sealed', sa.String(300), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False))
    op.create_index('ix_webhook_endpoints_company_id', 'webhook_endpoints', ['company_id'])
    op.create_table(
        'webhook_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('public_id', sa.String(40), nullable=False, unique=True),
        sa.Column('company_id', sa.Integer(), sa.ForeignKey('companies.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('key', sa.String(120), nullable=False),
        sa.Column('type', sa.String(60), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.UniqueConstraint('company_id', 'key', name='uq_webhook_events_key'))
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('endpoint_id', sa.Integer(),
                  sa.ForeignKey('webhook_endpoints.id', ondelete='CASCADE'), nullable=False),
        sa.Column('event_id', sa.Integer(),
                  sa.ForeignKey('webhook_events.id', ondelete='CASCADE'), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('retries_left', sa.Integer(), nullable=False),
        sa.Column('next_at', UTC, nullable=False),
        sa.Column('lease_until', UTC, nullable=True),
        sa.Column('claimed_by', sa.String(80), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('delivered_at', UTC, nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.UniqueConstraint('endpoint_id', 'event_id', name='uq_webhook_deliveries'))
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries', ['status', 'next_at'])
    op.create_table(
        'webhook_attempts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('delivery_id', sa.Integer(),
                  sa.ForeignKey('webhook_deliveries.id', ondelete='CASCADE'), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('started_at', UTC, nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('excerpt', sa.String(300), nullable=False),
        sa.Column('error', sa.String(200), nullable=True),
        sa.Column('millis', sa.Integer(), nullable=False),
        sa.UniqueConstraint('delivery_id', 'number', name='uq_webhook_attempts'))
    op.create_index('ix_webhook_attempts_delivery_id', 'webhook_attempts', ['delivery_id'])


def downgrade() -> None:
    op.drop_table('webhook_attempts')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhook_events')
    op.drop_table('webhook_endpoints')
