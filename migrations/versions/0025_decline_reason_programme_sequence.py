"""a declined request's reason for the requester; a programme session's iCalendar SEQUENCE (it can be edited)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decline_reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('programme_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('programme_session', schema=None) as batch_op:
        batch_op.drop_column('sequence')
    # Plain DROP COLUMN: a batch rebuild of meeting_request would lose its triggers on SQLite (0022).
    op.drop_column('meeting_request', 'decline_reason')
