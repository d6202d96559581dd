"""Entry point for gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app`."""

from dotenv import load_dotenv

from shop import create_app

load_dotenv()  # .env in the working directory, if any (the environment wins)
app = create_app()
