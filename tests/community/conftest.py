"""Fixtures of the community tests: the public site over HTTP."""

from tests.site.conftest import site_app, web  # noqa: F401  (fixtures)
