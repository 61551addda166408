"""Entry point for gunicorn and ``flask --app wsgi``."""
from matchmaking import create_app

app = create_app()
