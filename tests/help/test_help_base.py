"""The help base answers common questions, typos and all, and stays quiet on noise."""

import pytest

from conversations.help_base import ARTICLES, TOPICS, article, by_topic, suggest


@pytest.mark.parametrize(("question", "slug"), [
    ("how does escrow work", "escrow"),
    ("paymnt protection", "escrow"),
    ("what is the fee", "commission"),
    ("how to sell pellets", "create-listing"),
    ("delivery bad quality", "quality"),
    ("cancel my appointment", "cancel-booking"),
    ("I can't log in on slack", "link-channels"),
])
def test_a_question_finds_its_article(question, slug):
    assert slug in [a.slug for a in suggest(question)]


@pytest.mark.parametrize("noise", ["", "   ", "asdkjh qwe", "the a of", "\x00" * 5, "x" * 5000])
def test_noise_suggests_nothing(noise):
    assert suggest(noise) == []


def test_every_article_has_a_known_topic_and_a_unique_slug():
    assert {a.topic for a in ARTICLES} <= set(TOPICS)
    assert len({a.slug for a in ARTICLES}) == len(ARTICLES)
    assert sum(len(items) for _, items in by_topic()) == len(ARTICLES)
    assert article("escrow").question == "How does escrow protect me?"
    assert article("nope") is None


def test_every_command_an_article_names_exists_so_a_rename_cannot_leave_help_behind():
    from conversations.flows.all_flows import ALL_FLOWS
    from conversations.flows.support.help_text import commands_named
    from conversations.registry import Registry

    known = {command for command, _ in Registry(ALL_FLOWS).command_list()}
    named = {c for a in ARTICLES for c in commands_named(a.answer + " " + a.question)}
    assert named and named - known == set()


def test_an_article_in_chat_names_commands_as_the_channel_types_them():
    from conversations.flows.support.help_text import article_text

    assert "Type /agora sell (or" in article_text("create-listing", "/agora ")
    assert article_text("create-listing").startswith("💡 How do I list my product?\nType /sell")
    assert article_text("nope") == ""
