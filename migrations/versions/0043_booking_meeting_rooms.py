"""Every confirmed booking keeps its meeting link: the consultant's own, or a room generated on
the meeting server, the same through reschedules

Revision ID: 0043
Revises: 0042
"""
import os
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None
# Bookings with an agreed time still ahead of them: they get their room now.
GOING = "('confirmed', 'reschedule_proposed', 'starting', 'in_session')"


def upgrade() -> None:
    with op.batch_alter_table('bookings') as batch_op:
        batch_op.add_column(sa.Column('meeting_url', sa.String(length=300), nullable=True))
    base = os.environ.get("AGORA_MEETING_BASE", "https://meet.jit.si").rstrip("/")
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT b.id, p.meeting_url FROM bookings b LEFT JOIN consultant_profiles p "
        f"ON p.account_id = b.consultant_id WHERE b.status IN {GOING}")).all()
    for booking_id, own in rows:
        room = own or f"{base}/Agora-{secrets.token_urlsafe(16)}"
        bind.execute(sa.text("UPDATE bookings SET meeting_url = :room WHERE id = :id"),
                     {"room": room, "id": booking_id})


def downgrade() -> None:
    with op.batch_alter_table('bookings') as batch_op:
        batch_op.drop_column('meeting_url')
