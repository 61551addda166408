"""the event's look (logo, banner, accent colour) and participants' organisation logos

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 13:00:00

Only columns are added (ALTER TABLE ... ADD COLUMN on SQLite too: no table is rebuilt).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('banner', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('accent_color', sa.String(length=7), server_default='', nullable=False))
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.String(length=80), server_default='', nullable=False))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), again without rebuilding a table.
    op.drop_column('participant', 'logo')
    for column in ('accent_color', 'banner', 'logo'):
        op.drop_column('event', column)
