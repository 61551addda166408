"""recommended partners computed in the background, and participants' interested / not-for-me marks

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 05:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons_json', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_recommendation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_id'], ['participant.id'], name=op.f('fk_recommendation_other_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_recommendation_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_other_id'), ['other_id'], unique=False)
        batch_op.create_index('ix_recommendation_participant_rank', ['participant_id', 'rank'], unique=False)

    op.create_table('partner_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['other_id'], ['participant.id'], name=op.f('fk_partner_mark_other_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_partner_mark_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_mark')),
    sa.UniqueConstraint('participant_id', 'other_id', name=op.f('uq_partner_mark_participant_id_other_id'))
    )
    with op.batch_alter_table('partner_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_mark_other_id'), ['other_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_mark_other_id'))
    op.drop_table('partner_mark')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_participant_rank')
        batch_op.drop_index(batch_op.f('ix_recommendation_other_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_event_id'))
    op.drop_table('recommendation')
