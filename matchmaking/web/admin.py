"""Admin pages: who may organise events."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..services import accounts
from ..services.errors import NotFound
from .forms import ActionForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        raise NotFound()


@bp.route("/users")
def users():
    term = request.args.get("q", "").strip()[:100]
    query = select(User).order_by(User.name).limit(200)
    if term:
        query = query.where(User.email.contains(term.lower()) | User.name.contains(term))
    return render_template("admin/users.html", users=db.session.scalars(query).all(), q=term, form=ActionForm())


@bp.route("/users/<int:user_id>/organiser", methods=["POST"])
def toggle_organiser(user_id: int):
    if ActionForm().validate_on_submit():
        user = accounts.set_organiser(actor=current_user, user_id=user_id, value=request.form.get("value") == "1")
        db.session.commit()
        flash(_("%(name)s updated.", name=user.name), "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))
