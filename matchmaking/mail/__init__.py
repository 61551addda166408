"""E-mail: rendering outbox messages in the recipient's language, and delivering them by SMTP."""
