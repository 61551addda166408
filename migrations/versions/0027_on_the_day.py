"""the day itself: a no-show frees its table; a meeting request may be a walk-in

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = "0026"
branch_labels = None
depends_on = None

OLD_WHERE = "cancelled_at IS NULL AND table_id IS NOT NULL"
NEW_WHERE = "cancelled_at IS NULL AND table_id IS NOT NULL AND (attendance IS NULL OR attendance <> 'no_show')"


def _table_index(where: str) -> None:
    op.create_index('uq_meeting_live_table_slot', 'meeting', ['slot_id', 'table_id'], unique=True,
                    sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade():
    # A plain ADD COLUMN (no table rebuild on SQLite, which would lose the table's CHECK constraints).
    op.add_column('meeting_request', sa.Column('walk_in', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.drop_index('uq_meeting_live_table_slot', table_name='meeting')
    _table_index(NEW_WHERE)


def downgrade():
    op.drop_index('uq_meeting_live_table_slot', table_name='meeting')
    _table_index(OLD_WHERE)
    op.drop_column('meeting_request', 'walk_in')
