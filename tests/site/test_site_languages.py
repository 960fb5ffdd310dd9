"""The site in the nine languages: a browser's Accept-Language picks the page's language, the
switcher's choice is kept, each page names its versions (hreflang) — and every page, in every
language, holds no English sentence of the catalogue."""

from __future__ import annotations

import html
import re

import pytest

from core.i18n import LANGUAGES
from tests.catalog.helpers import make_account, publish
from tests.site.conftest import PUBLIC_URL
from tests.support.languages import english_figures, english_in, said

PAGES = ("/", "/listings", "/consultants", "/market", "/boards", "/events", "/help")


def words(page: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities read)."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


async def test_the_browsers_language_picks_the_page_and_the_switcher_keeps_another(web):
    german = await web.get("/listings", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert german.headers["content-language"] == "de" and "Accept-Language" in german.headers["vary"]
    assert '<html lang="de">' in german.text and f"<h1>{said('de', 'Listings')}</h1>" in german.text
    unknown = await web.get("/listings", headers={"Accept-Language": "ja,pt;q=0.8"})
    assert '<html lang="en">' in unknown.text

    polish = await web.get("/listings?lang=pl", headers={"Accept-Language": "de"})
    assert '<html lang="pl">' in polish.text and polish.cookies.get("agora_lang") == "pl"
    again = await web.get("/market", headers={"Accept-Language": "de"})  # the cookie is kept
    assert '<html lang="pl">' in again.text


async def test_each_page_names_its_versions_and_offers_a_switcher_of_the_nine(web):
    page = (await web.get("/help?lang=fi")).text
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page))
    assert set(alternates) == {*LANGUAGES, "x-default"}
    assert alternates["sv"] == f"{PUBLIC_URL}/help?lang=sv"
    assert alternates["x-default"] == f"{PUBLIC_URL}/help"
    assert f'<link rel="canonical" href="{PUBLIC_URL}/help?lang=fi">' in page
    switcher = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", switcher) == list(LANGUAGES.values())
    assert 'hreflang="fi" lang="fi" aria-current="true">Suomi' in switcher


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
async def test_every_page_reads_wholly_in_each_language(web, site_app, language):
    seller = await make_account(site_app, "sam", city="Riga", country="LV")
    listing_id = await publish(site_app, seller)
    leaks, figures = {}, {}
    for path in (*PAGES, f"/listings/{listing_id}", "/listings/999999"):
        page = await web.get(path, params={"lang": language})
        assert f'<html lang="{language}">' in page.text, path
        if found := english_in(language, [words(page.text)]):
            leaks[path] = found
        if found := english_figures(language, [words(page.text)]):
            figures[path] = found  # every language here writes a decimal comma
    assert leaks == {} and figures == {}
