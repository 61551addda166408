"""an event's follow-up e-mail can be turned off (retention then counts from the event's end)

Revision ID: 0030
Revises: 0028
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no table rebuild on SQLite, which would lose the table's CHECK constraints).
    op.add_column('event', sa.Column('followup_enabled', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    op.drop_column('event', 'followup_enabled')
