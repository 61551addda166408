"""blocked time in agendas, requests' time windows and "must meet" marks, the event's must-meet quota

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 00:00:00

The rules on existing tables (a known window part, a day exactly when the window is not "any time",
a quota of 0 to 50) are CHECK constraints on PostgreSQL. SQLite cannot add a CHECK to a table without
rebuilding it, and rebuilding ``event`` or ``meeting_request`` drops the old table, which with
foreign keys on deletes every row that cascades from it: there the same rules are triggers that
refuse the row, so no data is touched.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0021"
branch_labels = None
depends_on = None


CHECKS = {  # name: (table, rule, columns it reads)
    "ck_meeting_request_window_part": ("meeting_request", "window_part IN ('any', 'day', 'morning', 'afternoon')",
                                       "window_part"),
    "ck_meeting_request_window_date": ("meeting_request", "(window_part = 'any') = (window_date IS NULL)",
                                       "window_part, window_date"),
    "ck_event_must_meet_quota": ("event", "must_meet_quota >= 0 AND must_meet_quota <= 50", "must_meet_quota"),
}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _add_checks() -> None:
    for name, (table, rule, columns) in CHECKS.items():
        if not _sqlite():
            op.create_check_constraint(op.f(name), table, rule)
            continue
        new = rule.replace("window_part", "NEW.window_part").replace("window_date", "NEW.window_date")
        new = new.replace("must_meet_quota", "NEW.must_meet_quota")
        for when, on in (("insert", "INSERT"), ("update", f"UPDATE OF {columns}")):
            op.execute(f"CREATE TRIGGER {name}_{when} BEFORE {on} ON {table} FOR EACH ROW WHEN NOT ({new}) "
                       f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END")


def _drop_checks() -> None:
    for name, (table, _rule, _columns) in CHECKS.items():
        if not _sqlite():
            op.drop_constraint(op.f(name), table, type_="check")
            continue
        for when in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}_{when}")


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

    # Only columns are added here (ALTER TABLE ... ADD COLUMN on SQLite too: no table is rebuilt).
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_part', sa.String(length=16), server_default='any', nullable=False))
        batch_op.add_column(sa.Column('window_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('requester_must_meet', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('recipient_must_meet', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_meet_quota', sa.Integer(), server_default='3', nullable=False))
    _add_checks()


def downgrade():
    _drop_checks()
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), again without rebuilding a table.
    op.drop_column('event', 'must_meet_quota')
    for column in ('recipient_must_meet', 'requester_must_meet', 'window_date', 'window_part'):
        op.drop_column('meeting_request', column)

    with op.batch_alter_table('blocked_time', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocked_time_participant_id'))
    op.drop_table('blocked_time')
