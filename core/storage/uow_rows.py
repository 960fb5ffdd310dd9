"""A unit of work's rows (core.storage.uow.UnitOfWork inherits them): its session and
connection, rows staged for one INSERT per table at commit, a new row written by INSERT …
RETURNING and a row loaded by id — each statement built once per class, where the ORM's own
paths cost about twice the CPU."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sqlalchemy import Column, Insert, Select, Table, bindparam, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

Kept = TypeVar("Kept")
Row = TypeVar("Row")

_INSERTS: dict[tuple[Table, type], tuple[Insert, tuple[str, ...]]] = {}


def _insert_of(table: Table, kind: type) -> tuple[Insert, tuple[str, ...]]:
    """The INSERT of staged rows of `kind` (a dataclass) into `table`, built once, and the
    fields it writes: those named like a column."""
    if (table, kind) not in _INSERTS:
        names = {field.name for field in dataclasses.fields(kind)}
        _INSERTS[table, kind] = (insert(table), tuple(
            column.key for column in table.columns if column.key in names))
    return _INSERTS[table, kind]


_BY_ID: dict[type, Select[Any] | None] = {}


def _by_id(model: type) -> Select[Any] | None:
    """`SELECT … WHERE id = :id` of a class with a one-column primary key, built once (None for
    a key of several columns)."""
    if model not in _BY_ID:
        keys: tuple[Any, ...] = tuple(inspect(model).primary_key)
        _BY_ID[model] = (select(model).where(keys[0] == bindparam("pk_id", type_=keys[0].type))
                         if len(keys) == 1 else None)
    return _BY_ID[model]


_Written = tuple[Any, tuple[tuple[str, Column[Any]], ...]]  # an INSERT, and what it writes
_WRITES: dict[type, _Written | None] = {}


def _written_by_insert(model: type) -> _Written | None:
    """The INSERT … RETURNING every column of a plain mapped class (one table, no
    relationships), built once, with its attributes and their columns; None for another."""
    if model not in _WRITES:
        mapper: Mapper[Any] = inspect(model)
        table = mapper.local_table
        attrs = tuple((prop.key, prop.columns[0]) for prop in mapper.column_attrs)
        columns = tuple(column for __, column in attrs if isinstance(column, Column)
                        and column.table is table)
        plain = (isinstance(table, Table) and not mapper.relationships and mapper.inherits is None
                 and mapper.version_id_col is None and len(columns) == len(attrs))
        _WRITES[model] = ((insert(table).returning(*columns),
                           tuple(zip((attr for attr, __ in attrs), columns, strict=True)))
                          if plain and isinstance(table, Table) else None)
    return _WRITES[model]


class Rows:
    """The rows of `UnitOfWork` (which opens and closes the session)."""

    _session: AsyncSession | None
    _connection: AsyncConnection | None
    _staged: list[Any]

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def core(self) -> AsyncConnection:
        """The session's connection, for Core statements on tables in hot paths: the same
        transaction, without the ORM's per-statement bookkeeping (about half the CPU of a write)."""
        if self._connection is None:
            self._connection = await self.session.connection()
        return self._connection

    async def settle(self) -> None:
        """Flush the session's changes, if it has any: before a Core statement on `core()`
        that reads or refers to rows the session may not have written yet."""
        if self.session.new or self.session.dirty or self.session.deleted:
            await self.session.flush()

    def stage(self, into: Table, row: Any) -> None:
        """Write this new row into `into` at commit, in one INSERT with the others staged for
        that table: a dataclass whose fields name the columns (an outbox notice), which
        nothing in this transaction reads back. Neither an ORM object nor the session's flush,
        whose bookkeeping per row costs more than the INSERT itself. The row gets no id; what
        it refers to (its account) has one already."""
        self._staged.append((into, row))

    def staged(self, cls: type[Kept]) -> list[Kept]:
        """The rows of `cls` staged so far in this transaction."""
        return [row for _, row in self._staged if isinstance(row, cls)]

    async def write_staged(self) -> None:
        """Write the rows staged so far now, before a statement that reads their table."""
        await self._write_staged()

    async def _write_staged(self) -> None:
        if not self._staged:
            return
        batches: dict[Insert, list[dict[str, Any]]] = {}
        for table, row in self._staged:
            statement, names = _insert_of(table, type(row))
            batches.setdefault(statement, []).append({name: getattr(row, name) for name in names})
        self._staged = []
        conn = await self.core()
        for statement, rows in batches.items():
            await conn.execute(statement, rows)

    def add(self, row: Any) -> None:
        self.session.add(row)

    async def insert(self, row: Row) -> Row:
        """Write a new row now — its id, defaults and server defaults filled in — and keep it
        in the session as if loaded: persistent and clean. By an INSERT … RETURNING built once
        per class, where `add` and `flush` cost about twice as much CPU (the flush's
        bookkeeping per object). For a plain row (one table, no relationships); another is
        added and flushed."""
        written = _written_by_insert(type(row))
        if written is None:
            self.session.add(row)
            await self.session.flush()
            return row
        await self.settle()  # what the row may refer to is written first
        statement, attrs = written
        given = inspect(row).dict
        values = {column.key: given[attr] for attr, column in attrs if attr in given}
        returned = (await (await self.core()).execute(statement, values)).one()
        for (attr, __), value in zip(attrs, returned, strict=True):
            set_committed_value(row, attr, value)
        make_transient_to_detached(row)
        self.session.add(row)
        self.session.info.setdefault("held", []).append(row)  # as a loaded row is held
        return row

    async def get(self, model: type[Row], key: Any, *, populate_existing: bool = False,
                  **options: Any) -> Row | None:
        """`session.get`: the session's own row when it holds it, else loaded — by a statement
        built once per class, where `session.get` builds and keys a new one on every call
        (about a third of a load's cost, and every step of a deal loads a few)."""
        statement = _by_id(model)
        if statement is None or options or (
                not populate_existing and self.session.identity_map.get(
                    identity_key(model, key)) is not None):
            return await self.session.get(model, key, populate_existing=populate_existing,
                                          **options)
        found = await self.session.execute(
            statement, {"pk_id": key},
            execution_options={"populate_existing": True} if populate_existing else {})
        row: Row | None = found.scalar_one_or_none()
        return row
