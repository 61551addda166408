"""the participants of an event by name (lower-cased), as the directory lists them: one page read in order

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_participant_event_name', 'participant',
                    ['event_id', sa.text('lower(organisation_name)'), 'id'])


def downgrade():
    op.drop_index('ix_participant_event_name', table_name='participant')
