"""The link mailed about one meeting (evening summary, follow-up): the person's answers, without logging in.

The signed token in the address is the key (``services/outcomes.link_token``); a forged or expired one
gets a page saying so (400), never an error.
"""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _

from ...models.base import utcnow
from ...services import outcomes
from ...services.account_links import InvalidLink
from ..forms import FollowupForm, OutcomeForm
from ..helpers import done
from .recovery import _link_refused


def outcome_link(token: str):
    try:
        meeting, me = outcomes.read_link_token(token, secret_key=current_app.config["SECRET_KEY"])
    except InvalidLink as error:
        return _link_refused(error, "outcome")
    event, now = me.event, utcnow()
    mine = outcomes.outcome_of(meeting, me)
    prompt = OutcomeForm(prefix="o", full="1")
    followup = FollowupForm(prefix="f")
    back = url_for("account.outcome_link", token=token)
    if request.method == "POST" and "f-answer" in request.form and followup.validate_on_submit():
        outcomes.answer_followup(meeting=meeting, participant=me, answer=followup.answer.data,
                                 agreement_type=followup.agreement_type.data or "",
                                 benefit=followup.benefit.data or "", now=now)
        return done(_("Thank you: your answer is saved."), back)
    if request.method == "POST" and "f-answer" not in request.form and prompt.validate_on_submit():
        outcomes.answer(meeting=meeting, participant=me, took_place=prompt.took_place_value(),
                        rating=prompt.rating.data, comment=prompt.comment.data, now=now)
        return done(_("Thank you: your answer is saved."), back)
    if request.method == "GET" and mine is not None:
        prompt.took_place.data = {True: "yes", False: "no"}.get(mine.took_place, "")
        prompt.rating.data, prompt.comment.data = mine.rating or "", mine.comment
        followup.answer.data = mine.followup_answer
        followup.agreement_type.data, followup.benefit.data = mine.agreement_type or "", mine.benefit
    partner, partner_agreement = meeting.other(me.id), outcomes.partner_agreement(meeting, me)
    if request.method == "GET" and partner_agreement is not None and not (mine and mine.followup_answer):
        followup.agreement_type.data = partner_agreement.agreement_type  # to confirm it, one choice less
    return render_template("account/outcome_link.html", event=event, me=me, meeting=meeting, partner=partner,
                           mine=mine, prompt=prompt, followup=followup,
                           can_answer=outcomes.can_answer(meeting, now) or bool(prompt.errors),
                           followup_open=(outcomes.followup_open(event, now) and meeting.attendance != "no_show")
                           or bool(followup.errors),
                           partner_agreement=partner_agreement)
