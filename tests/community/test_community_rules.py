"""The community's rules on plain values — texts, links, posts, reasons, reactions: no database."""

from __future__ import annotations

import pytest

from core.community import rules
from core.errors import DomainError


def test_a_text_is_trimmed_without_control_characters():
    assert rules.text("  hi\x00 there\x7f ", "note") == "hi there"


def test_a_text_at_its_bounds_passes_and_just_outside_does_not():
    assert rules.text("ab", "post", minimum=2, maximum=3) == "ab"
    assert rules.text("abc", "post", minimum=2, maximum=3) == "abc"
    with pytest.raises(DomainError, match="at least 2"):
        rules.text("a", "post", minimum=2, maximum=3)
    with pytest.raises(DomainError, match="4 characters; please keep it under 3"):
        rules.text("abcd", "post", minimum=2, maximum=3)
    with pytest.raises(DomainError, match="empty"):
        rules.text(" \x00 ", "post")


def test_a_one_line_text_refuses_a_line_break():
    with pytest.raises(DomainError, match="one line"):
        rules.text("a\nb", "place", one_line=True)


def test_a_link_is_plain_http_or_https_with_a_dotted_host_at_most_500_characters():
    assert rules.url(" https://example.org/a ") == "https://example.org/a"
    long = "https://example.org/" + "a" * (rules.MAX_URL - 20)
    assert rules.url(long) == long and len(long) == 500
    for bad in ("", "ftp://example.org", "https://localhost", "https://exa mple.org",
                "javascript:alert(1)", long + "a"):
        with pytest.raises(DomainError, match="web address"):
            rules.url(bad)


def test_a_post_is_2_to_2000_characters():
    assert rules.post_text("ok") == "ok"
    assert len(rules.post_text("a" * rules.MAX_POST)) == 2000
    with pytest.raises(DomainError, match="post needs at least 2"):
        rules.post_text("a")
    with pytest.raises(DomainError, match="reply needs at least 2"):
        rules.post_text("a", reply=True)
    with pytest.raises(DomainError):
        rules.post_text("a" * (rules.MAX_POST + 1))


def test_a_report_reason_is_optional_and_a_hiding_reason_is_not():
    assert rules.report_reason("   ") == ""
    assert rules.report_reason("x") == "x"
    assert len(rules.report_reason("a" * 300)) == 300
    with pytest.raises(DomainError):
        rules.report_reason("a" * 301)
    assert rules.hide_reason("spam") == "spam"
    with pytest.raises(DomainError, match="at least 3"):
        rules.hide_reason("no")


def test_three_reactions():
    for kind in rules.REACTIONS:
        rules.check_reaction(kind)
    with pytest.raises(DomainError, match="React with"):
        rules.check_reaction("down")
