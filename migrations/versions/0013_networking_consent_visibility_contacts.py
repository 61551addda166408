"""networking consent, visibility and contact details of participants; the event's privacy notice

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 04:05:00.000000

Participants registered before consent was asked keep networking (consent true, its time unknown),
so nothing that works today stops working.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('website', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('linkedin', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('networking_consent', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('networking_consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('visibility', sa.String(length=16), server_default='all', nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_notice', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('privacy_notice')

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('visibility')
        batch_op.drop_column('networking_consent_at')
        batch_op.drop_column('networking_consent')
        batch_op.drop_column('linkedin')
        batch_op.drop_column('website')
        batch_op.drop_column('phone')
