"""Webhooks: the event's endpoints (with their secrets), a test event, and the delivery log."""
from __future__ import annotations

from flask import current_app, g, render_template, url_for
from flask_babel import gettext as _

from ...services import webhooks as webhook_service
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import WebhookForm


def webhooks():
    event = g.event
    return render_template("organiser/webhooks.html", event=event, form=WebhookForm(),
                           action_form=ActionForm(), endpoints=webhook_service.endpoints_of(event),
                           deliveries=webhook_service.delivery_log(event))


def add_webhook():
    form = valid(WebhookForm())
    webhook_service.add_endpoint(event=g.event, url=form.url.data, kinds=form.kinds.data,
                                 base_url=current_app.config["BASE_URL"])
    return done(_("Webhook added. Configure the receiver with its secret, shown below."), _page())


def remove_webhook(endpoint_id: int):
    endpoint = webhook_service.get_endpoint(g.event, endpoint_id)
    valid(ActionForm())
    webhook_service.remove_endpoint(endpoint=endpoint)
    return done(_("Webhook removed."), _page())


def test_webhook(endpoint_id: int):
    endpoint = webhook_service.get_endpoint(g.event, endpoint_id)
    valid(ActionForm())
    webhook_service.send_test(endpoint)
    return done(_("A test event is on its way; its result appears in the delivery log."), _page())


def redeliver(delivery_id: int):
    delivery = webhook_service.get_delivery(g.event, delivery_id)
    valid(ActionForm())
    webhook_service.redeliver(delivery)
    return done(_("The delivery will be sent again, with a new delivery id."), _page())


def _page() -> str:
    return url_for("organiser.webhooks")
