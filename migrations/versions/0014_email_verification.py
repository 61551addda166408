"""e-mail verification: when the user proved they read mail at their address

Revision ID: 0014
Revises: 0013

Accounts that exist when this runs (made before sign-up sent a confirmation, or by an organiser who
knew the person) count as verified: they keep registering and sending requests as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(), nullable=True))
    user_account = sa.table("user_account", sa.column("email_verified_at", sa.DateTime()),
                            sa.column("created_at", sa.DateTime()))
    op.execute(user_account.update().values(email_verified_at=user_account.c.created_at))


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("email_verified_at")
