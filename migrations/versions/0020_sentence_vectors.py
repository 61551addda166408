"""sentence vectors of an event's profiles, stored so that a changed profile re-encodes only its sentences

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sentence_vector',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=64), nullable=False),
    sa.Column('is_query', sa.Boolean(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_sentence_vector_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sentence_vector')),
    sa.UniqueConstraint('event_id', 'model', 'is_query', 'text_hash',
                        name=op.f('uq_sentence_vector_event_id_model_is_query_text_hash'))
    )


def downgrade():
    op.drop_table('sentence_vector')
