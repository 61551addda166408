"""cooperation marketplace: opportunities, their sectors, requests about them, the event's settings

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opportunity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=48), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_opportunity_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_opportunity_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity'))
    )
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_status'), ['status'], unique=False)

    op.create_table('opportunity_sector',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_opportunity_sector_opportunity_id_opportunity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id', 'sector', name=op.f('pk_opportunity_sector'))
    )
    with op.batch_alter_table('opportunity_sector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_sector_sector'), ['sector'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requires_opportunity', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('opportunity_categories', sa.JSON(), nullable=True))

    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opportunity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meeting_request_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meeting_request_opportunity_id_opportunity'), 'opportunity', ['opportunity_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_request_opportunity_id_opportunity'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meeting_request_opportunity_id'))
        batch_op.drop_column('opportunity_id')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('opportunity_categories')
        batch_op.drop_column('requires_opportunity')

    with op.batch_alter_table('opportunity_sector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_sector_sector'))

    op.drop_table('opportunity_sector')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_status'))
        batch_op.drop_index(batch_op.f('ix_opportunity_participant_id'))
        batch_op.drop_index(batch_op.f('ix_opportunity_event_id'))

    op.drop_table('opportunity')
