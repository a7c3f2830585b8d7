"""The web UI served at `/` by the API process: pages, templates, static files (services/web/pages.py)."""

from services.web.pages import install_web

__all__ = ["install_web"]
