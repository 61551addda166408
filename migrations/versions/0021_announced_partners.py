"""recommended partners already announced to each participant in the daily digest

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('announced_partner',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('announced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['other_id'], ['participant.id'], name=op.f('fk_announced_partner_other_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_announced_partner_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'other_id', name=op.f('pk_announced_partner'))
    )
    with op.batch_alter_table('announced_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announced_partner_other_id'), ['other_id'], unique=False)


def downgrade():
    with op.batch_alter_table('announced_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announced_partner_other_id'))
    op.drop_table('announced_partner')
