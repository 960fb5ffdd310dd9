"""A flow's typed state: a class of annotated fields that a flow declares (`Flow.state_model`)
and its steps read and write as attributes (`OfferData.of(ctx).listing_id`), so mypy checks
every name and type.

The class is a typed view of the flow's saved data (`ctx.data`, kept as JSON in the
conversation's row), not a copy: each field reads and writes its key of that dict. So the
engine's own moves on the dict (a step's writes undone by a refused rule, a flow parked and
resumed, the form runner's answers under `_forms`) stay as they are, and a flow converted to a
typed state works beside one that still reads `ctx.data` by key.

Fields hold JSON values (str, int, float, bool, None, lists and dicts of them, a
`typing_extensions.TypedDict`):
what is read is the stored value itself, so `state.q["page"] += 1` changes the saved data.
A field may not take a name of the class's own (`data`, `of`, `stamp`, `fit`…: refused as the
class is made). A field without a default is required (reading it before it is set raises `KeyError`, as
a missing key of `ctx.data` did); a list or dict default is copied into the data when first read.

Versions. `version` names the shape of the fields; the engine stamps it into the data (`_v`)
whenever it keeps the data (as the flow opens, after each step, as the flow is parked: a step
that clears its data clears the mark too). Each time the conversation is loaded (and a parked
flow is resumed) `fit` checks the saved data against the flow's class: data saved before the
class had a version counts as version 1 (the first typed version of each flow kept the key
names it had), an older version is carried forward by the class's `migrations` (each from
version n to n + 1), and the data must then validate against the fields. Data that cannot be
made to fit — a newer version, an older one with no migration, a value of the wrong type — ends
the flow politely: the person is told the conversation changed and starts it again. A restart
loses little: flows are minutes long, and what matters (a listing's draft, an offer, a booking)
is saved by core as it is made, not in the flow's data; a flow whose answers are worth keeping
across a change declares a migration.
"""

from __future__ import annotations

import copy
import inspect
import logging
import typing
from collections.abc import Callable, MutableMapping
from typing import Any, ClassVar, Self

from pydantic import TypeAdapter, ValidationError

log = logging.getLogger(__name__)

VERSION_KEY = "_v"
_MISSING: Any = object()

Migration = Callable[[dict[str, Any]], dict[str, Any]]


class _Field:
    """One field: reads and writes its key of the flow's data."""

    def __init__(self, name: str, default: Any) -> None:
        self.name, self.default = name, default

    def __get__(self, obj: FlowState | None, owner: type) -> Any:
        if obj is None:
            return self
        data = obj.data
        if self.name in data:
            return data[self.name]
        if self.default is _MISSING:
            raise KeyError(self.name)
        if isinstance(self.default, list | dict):
            return data.setdefault(self.name, copy.deepcopy(self.default))
        return self.default

    def __set__(self, obj: FlowState, value: Any) -> None:
        obj.data[self.name] = value

    def __delete__(self, obj: FlowState) -> None:
        obj.data.pop(self.name, None)


class FlowState:
    """The base of a flow's typed state: subclass it with annotated fields and a `version`."""

    version: ClassVar[int] = 1
    # version n → n + 1, for saved data worth carrying over a change of shape
    migrations: ClassVar[dict[int, Migration]] = {}
    _fields: ClassVar[dict[str, Any]] = {}  # name → default (`_MISSING`: required)
    _adapters: ClassVar[dict[str, TypeAdapter[Any]] | None] = None

    # What navigation gives every flow it opens: the argument of a command, deep link or button.
    args: str = ""

    __slots__ = ("data",)

    def __init__(self, data: MutableMapping[str, Any]) -> None:
        self.data = data

    @classmethod
    def of(cls, ctx: Any) -> Self:
        """The typed view of a step's flow data (`ctx.data`)."""
        return cls(ctx.data)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)
        for name, annotation in inspect.get_annotations(cls).items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")) or name.startswith("_"):
                continue
            if name in vars(FlowState) and name not in FlowState._fields:
                raise TypeError(f"{cls.__name__}.{name}: a name FlowState uses itself")
            fields[name] = cls.__dict__.get(name, _MISSING)
            setattr(cls, name, _Field(name, fields[name]))
        cls._fields = fields
        cls._adapters = None

    def __repr__(self) -> str:
        shown = {name: self.data[name] for name in self._fields if name in self.data}
        return f"{type(self).__name__}({shown})"

    @classmethod
    def adapters(cls) -> dict[str, TypeAdapter[Any]]:
        """Each field's type as pydantic checks it (strictly: what JSON gave back, unconverted)."""
        adapters = cls.__dict__.get("_adapters")
        if adapters is None:
            hints = typing.get_type_hints(cls)
            adapters = cls._adapters = {name: TypeAdapter(hints[name]) for name in cls._fields}
        return adapters

    @classmethod
    def stamp(cls, data: MutableMapping[str, Any]) -> None:
        """Stamp a flow's data, as it opens, with the version its steps write."""
        data[VERSION_KEY] = cls.version

    @classmethod
    def fit(cls, data: MutableMapping[str, Any]) -> bool:
        """Bring saved data to this version (in place) and check it; False: it cannot be used.

        Only the fields present are checked: a required one is unset until its step sets it."""
        found = data.get(VERSION_KEY, 1)
        if not isinstance(found, int) or found > cls.version:
            log.warning("%s: saved at version %r, this is %s", cls.__name__, found, cls.version)
            return False
        moved = dict(data)
        while found < cls.version:
            migrate = cls.migrations.get(found)
            if migrate is None:
                log.info("%s: no way from version %s to %s", cls.__name__, found, cls.version)
                return False
            moved, found = migrate(moved), found + 1
        try:
            for name, adapter in cls.adapters().items():
                if name in moved:
                    adapter.validate_python(moved[name], strict=True)
        except ValidationError as exc:
            log.warning("%s: saved data does not fit: %s", cls.__name__, exc)
            return False
        moved[VERSION_KEY] = cls.version
        data.clear()
        data.update(moved)
        return True


# Every flow is opened with its argument (a command's, a deep link's, a button's), if any.
FlowState._fields = {"args": ""}
FlowState.args = _Field("args", "")  # type: ignore[assignment]
