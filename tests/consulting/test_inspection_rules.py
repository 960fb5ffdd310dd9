"""Which inspectors a deal's party is offered, with no database: those sampling in the goods'
country; when none does, or the goods' country is unknown, every one (the list says so)."""

from __future__ import annotations

from dataclasses import dataclass

from core.consulting.inspections.rules import serving


@dataclass(frozen=True)
class Inspector:
    name: str
    countries: tuple[str, ...]


INES, OTTO, ANNA = Inspector("Ines", ("LV", "EE")), Inspector("Otto", ("DE",)), Inspector("Anna", ())


def test_those_serving_the_country_are_offered_in_the_order_given():
    assert serving([OTTO, INES, ANNA], "LV") == ([INES], True)
    assert serving([INES, OTTO, Inspector("Ēriks", ("LV",))], "LV") == (
        [INES, Inspector("Ēriks", ("LV",))], True)


def test_every_one_when_none_serves_it_or_the_country_is_unknown():
    assert serving([INES, OTTO, ANNA], "FI") == ([INES, OTTO, ANNA], False)
    assert serving([INES, OTTO], None) == ([INES, OTTO], False)  # a listing with no country
    assert serving([], "LV") == ([], False)
