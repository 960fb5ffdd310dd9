"""Forms that ask only what applies, take several answers at once and check rules early."""

from __future__ import annotations

from decimal import Decimal

from conversations.fields import Also, ChoiceField, TextField
from conversations.flow import Flow, FormState, Next
from conversations.forms import Form, Rule
from conversations.messages import Choice, Command, Envelope, FormSubmission, Reply, Text
from conversations.number_and_date_fields import DecimalField
from tests.support.memory_engine import MemoryChat

DONE: dict = {}


class AmountField(DecimalField):
    """“500 t” answers the amount and the unit."""

    def parse_raw(self, raw):
        number, _, unit = str(raw).strip().partition(" ")
        value = super().parse_raw(number)
        return Also(value, {"unit": unit}) if unit else value


def _form() -> Form:
    return Form("t", "Test", [
        AmountField("quantity", "Quantity", minimum=Decimal(0), maximum=Decimal(10**6)),
        ChoiceField("unit", "Unit", choices=[("t", "t"), ("m3", "m³")],
                    when=lambda v: not v.get("unit")),
        DecimalField("min_order", "Minimum order", required=False),
        ChoiceField("delivery", "Delivery", choices=[("EXW", "EXW"), ("pickup", "Pickup")]),
        TextField("place", "Incoterms place", when=lambda v: v.get("delivery") == "EXW"),
        TextField("note", "Note", required=False),
    ], rules=[Rule(("quantity", "min_order"), lambda v: "The minimum order can't be above the "
                   "quantity." if v.get("min_order") and Decimal(v["min_order"]) > Decimal(v["quantity"])
                   else None, fix="min_order")])


async def _done(ctx, values):
    DONE.clear()
    DONE.update(values)
    return Next.end(Reply("done"), menu=False)


FLOW = Flow(name="t", title="a test", commands=("t",), summary="s", needs_account=False, first="f",
            states={"f": FormState(form=_form(), done=_done)})


class Person:
    """Someone in a terminal chat with an engine of the test flow alone, stored in memory: the
    form runner's rules need no database."""

    def __init__(self, forms: bool = False):
        self.engine = MemoryChat([FLOW]).engine
        self.forms, self.n, self.last = forms, 0, []

    async def send(self, message):
        self.n += 1
        env = Envelope("terminal", "tess", "tess", message, event_id=f"e{self.n}",
                       can_show_forms=self.forms)
        self.last = (await self.engine.handle(env)).replies
        return "\n".join(getattr(r, "text", "") for r in self.last)


async def test_several_answers_at_once_and_questions_that_do_not_apply_are_not_asked():
    tess = Person()
    assert "Test · 1/5" in await tess.send(Command("t"))  # the Incoterms place not yet
    assert "Minimum order" in await tess.send(Text("500 t"))  # the unit is not asked
    assert "Delivery" in await tess.send(Choice(f"{_token(tess)}|^skip"))
    assert "Note" in await tess.send(Choice(f"{_token(tess)}|pickup"))  # no Incoterms place
    assert "done" in await tess.send(Choice(f"{_token(tess)}|^skip"))
    assert (DONE["unit"], DONE["place"], DONE["delivery"]) == ("t", None, "pickup")


async def test_a_broken_rule_goes_straight_to_the_field_to_fix_then_back():
    tess = Person()
    await tess.send(Command("t"))
    await tess.send(Text("50"))
    await tess.send(Choice(f"{_token(tess)}|t"))
    reply = await tess.send(Text("80"))
    assert "can't be above the quantity" in reply and "Minimum order?" in reply
    assert "Delivery?" in await tess.send(Text("20"))  # fixed: on to the next question


async def test_a_whole_form_reports_a_broken_rule_at_the_field_to_fix():
    tess = Person(forms=True)
    await tess.send(Command("t"))
    token = tess.last[0].token
    await tess.send(FormSubmission("t", {"quantity": "5 t", "min_order": "9", "delivery": "pickup"},
                                   token))
    assert tess.last[0].errors == {"min_order": "The minimum order can't be above the quantity."}


async def test_the_step_counter_climbs_by_one_and_its_total_never_falls_below_it():
    tess = Person()
    steps = [_step(await tess.send(Command("t")))]
    steps.append(_step(await tess.send(Text("50"))))  # no unit given: the unit is asked
    steps.append(_step(await tess.send(Choice(f"{_token(tess)}|t"))))
    steps.append(_step(await tess.send(Choice(f"{_token(tess)}|^skip"))))
    steps.append(_step(await tess.send(Choice(f"{_token(tess)}|EXW"))))  # the place now applies
    steps.append(_step(await tess.send(Text("Riga"))))
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 6), (6, 6)]


def _step(reply: str) -> tuple[int, int]:
    number, count = reply.split("Test · ")[1].split()[0].split("/")
    return int(number), int(count)


def _token(person: Person) -> str:
    for reply in person.last:
        for row in getattr(reply, "buttons", ()):
            for button in row:
                if "|" in button.data:
                    return button.data.partition("|")[0]
    raise AssertionError("no flow button")
