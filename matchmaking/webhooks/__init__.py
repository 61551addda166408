"""Sending what ``services.webhooks`` queued: signed POSTs to the organisers' endpoints."""
