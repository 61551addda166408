"""blocked time in agendas, requests' time windows and "must meet" marks, the event's must-meet quota

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blocked_time',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_blocked_time_ends_after_start')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_blocked_time_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked_time'))
    )
    with op.batch_alter_table('blocked_time', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocked_time_participant_id'), ['participant_id'], unique=False)

    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_part', sa.String(length=16), server_default='any', nullable=False))
        batch_op.add_column(sa.Column('window_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('requester_must_meet', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('recipient_must_meet', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_meeting_request_window_part'), "window_part IN ('any', 'day', 'morning', 'afternoon')")
        batch_op.create_check_constraint(
            op.f('ck_meeting_request_window_date'), "(window_part = 'any') = (window_date IS NULL)")

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_meet_quota', sa.Integer(), server_default='3', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_event_must_meet_quota'), "must_meet_quota >= 0 AND must_meet_quota <= 50")


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_must_meet_quota'), type_='check')
        batch_op.drop_column('must_meet_quota')

    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meeting_request_window_date'), type_='check')
        batch_op.drop_constraint(op.f('ck_meeting_request_window_part'), type_='check')
        batch_op.drop_column('recipient_must_meet')
        batch_op.drop_column('requester_must_meet')
        batch_op.drop_column('window_date')
        batch_op.drop_column('window_part')

    with op.batch_alter_table('blocked_time', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocked_time_participant_id'))
    op.drop_table('blocked_time')
