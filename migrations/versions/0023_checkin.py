"""check-in at the event: each participant's QR token and when they were checked in

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 23:55:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(), nullable=True))
    # Existing participants get their token here (24 random bytes, URL-safe, as new rows get it).
    participant = sa.table('participant', sa.column('id', sa.Integer()), sa.column('checkin_token', sa.String()))
    connection = op.get_bind()
    for (participant_id,) in connection.execute(sa.select(participant.c.id)).fetchall():
        connection.execute(participant.update().where(participant.c.id == participant_id)
                           .values(checkin_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('checkin_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_participant_checkin_token'), ['checkin_token'])


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_participant_checkin_token'), type_='unique')
        batch_op.drop_column('checked_in_at')
        batch_op.drop_column('checkin_token')
