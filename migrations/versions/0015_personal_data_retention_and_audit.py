"""personal data: retention per event, anonymised participants, the organisers' audit log

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 04:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), server_default='90', nullable=False))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('retention_warned_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_audit_entry_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_event_time', ['event_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_event_time')

    op.drop_table('audit_entry')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('retention_warned_at')
        batch_op.drop_column('purged_at')
        batch_op.drop_column('retention_days')
