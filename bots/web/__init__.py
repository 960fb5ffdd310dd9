"""Agora on the web: server-rendered pages (Jinja2 templates, no build step, no JavaScript
needed) for the public site and the operator console, served by the same FastAPI app."""
