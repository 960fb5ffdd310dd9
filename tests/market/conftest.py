"""The public site's fixtures, for the market pages."""

from tests.site.conftest import site_app, web  # noqa: F401  (fixtures)
