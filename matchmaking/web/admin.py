"""Admin pages: who may organise events. The gate: admins only, anyone else gets a 404."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import login_manager
from ..services import accounts
from ..services.errors import NotFound
from .forms import ActionForm
from .helpers import done, valid

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        raise NotFound()
    return None


@bp.route("/users")
def users():
    term = request.args.get("q", "").strip()[:100].replace("\x00", "")
    return render_template("admin/users.html", users=accounts.search_users(term), q=term, form=ActionForm())


@bp.route("/users/<int:user_id>/organiser", methods=["POST"])
def toggle_organiser(user_id: int):
    valid(ActionForm())
    user = accounts.set_organiser(actor=current_user, user_id=user_id, value=request.form.get("value") == "1")
    return done(_("%(name)s updated.", name=user.name), url_for("admin.users", q=request.args.get("q", "")))
