"""meeting outcomes: each side's word on a meeting (held, rating, comment, the follow-up months later), the follow-up day

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'meeting_outcome',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('took_place', sa.Boolean(), nullable=True),
        sa.Column('rating', sa.String(length=32), nullable=True),
        sa.Column('comment', sa.Text(), server_default='', nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('followup_answer', sa.String(length=32), nullable=True),
        sa.Column('agreement_type', sa.String(length=32), nullable=True),
        sa.Column('benefit', sa.Text(), server_default='', nullable=False),
        sa.Column('followup_answered_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("rating IS NULL OR rating IN ('no_interest', 'informative', 'cooperation_possible')",
                           name=op.f('ck_meeting_outcome_rating')),
        sa.CheckConstraint("followup_answer IS NULL OR followup_answer IN ('no_contact', 'knowledge', "
                           "'valuable_contact', 'negotiation', 'agreement')",
                           name=op.f('ck_meeting_outcome_followup_answer')),
        sa.CheckConstraint("agreement_type IS NULL OR agreement_type IN ('commercial_agency', 'subcontracting', "
                           "'joint_venture', 'manufacturing', 'services', 'licence', 'technical_cooperation', "
                           "'joint_development', 'joint_project_proposal')",
                           name=op.f('ck_meeting_outcome_agreement_type')),
        sa.CheckConstraint("(followup_answer = 'agreement') = (agreement_type IS NOT NULL)",
                           name=op.f('ck_meeting_outcome_agreement_has_type')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_outcome_meeting_id_meeting'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_meeting_outcome_participant_id_participant'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_outcome')),
        sa.UniqueConstraint('meeting_id', 'participant_id', name=op.f('uq_meeting_outcome_meeting_id_participant_id')),
    )
    with op.batch_alter_table('meeting_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_outcome_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_outcome_participant_id'), ['participant_id'], unique=False)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('followup_sent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('followup_reminded_at', sa.DateTime(), nullable=True))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): a batch rebuild of the event table would
    # lose the triggers that stand for its CHECK constraints on SQLite (0022).
    for column in ('followup_reminded_at', 'followup_sent_at', 'followup_on'):
        op.drop_column('event', column)
    with op.batch_alter_table('meeting_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_outcome_participant_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_outcome_meeting_id'))
    op.drop_table('meeting_outcome')
