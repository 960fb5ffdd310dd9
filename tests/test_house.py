"""The shape of the code: imports point one way, rules stay in core, flows are reachable."""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import importlib
import inspect
import pkgutil
import re
import types
import typing
from functools import cache
from pathlib import Path

import conversations
from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice
from conversations.registry import Registry
from core.actions import Intent
from core.storage.tables import Base
from tests.support.chat import ChatUser

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bots", "conversations", "core", "payments", "config")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


@cache
def _tree(path: Path) -> ast.Module:
    """A file's syntax tree, parsed once per run (several tests read every file; none changes
    a tree)."""
    return ast.parse(path.read_text())


@cache
def _nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a file's tree (`ast.walk`), listed once per run."""
    return tuple(ast.walk(_tree(path)))


@cache
def _import_nodes(path: Path) -> tuple[ast.Import | ast.ImportFrom, ...]:
    """A file's import statements, parsed once per run (each test asks about every file)."""
    return tuple(node for node in _nodes(path) if isinstance(node, ast.Import | ast.ImportFrom))


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports (at run time or for type checking)."""
    targets: set[str] = set()
    for node in _import_nodes(path):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        targets |= {name for name in names if name in modules}
    return targets


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def _package_graph(package_of: collections.abc.Callable[[str], str | None]
                   ) -> dict[str, set[str]]:
    """Which packages import which, `package_of` naming each module's package (None: a module
    outside the ones compared); a package's imports of itself left out."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        source = package_of(name)
        if source is None:
            continue
        targets = {package_of(t) for t in _imports(path, modules)}
        graph.setdefault(source, set()).update(t for t in targets if t and t != source)
    return graph


def test_no_two_modules_import_each_other_directly_or_round_about():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    # A package's __init__ re-exporting its modules is not a circle of the code's own.
    graph = {name: {t for t in targets if not name.startswith(t + ".")}
             for name, targets in graph.items()}
    assert _circles(graph) == []


def _core_package(module: str) -> str | None:
    """`core.deals.offers.service` → `core.deals`; a module directly under core is its own package."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 1 else None


def test_no_two_packages_of_core_import_each_other_even_round_about():
    """Core's sub-packages stand in layers (storage, money, accounts, operators, catalog, process,
    deals, consulting, … public, console): an arrow back up is a circle at package level."""
    graph = _package_graph(_core_package)
    assert _circles(graph) == []


def _flows_package(module: str) -> str | None:
    """`conversations.flows.deals.offer` → `conversations.flows.deals`; a module directly under
    conversations.flows (a helper shared by contexts, all_flows) is its own package."""
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["conversations", "flows"] and len(parts) > 2 \
        else None


def test_no_two_packages_of_flows_import_each_other_even_round_about():
    """The flows' context packages (account, market, deals, company, consulting, …) stand in
    layers too: deals may use the market's fields, never the other way round."""
    graph = _package_graph(_flows_package)
    assert len(graph) > 10
    assert _circles(graph) == []


def _web_package(module: str) -> str | None:
    """`bots.web.site.listings` → `bots.web.site`; a module directly in bots.web (what the
    applications share: deps, pages, language) belongs to `bots.web` itself."""
    parts = module.split(".")
    if parts[:2] != ["bots", "web"]:
        return None
    return ".".join(parts[:3]) if len(parts) > 2 and (ROOT / "bots" / "web" / parts[2]).is_dir() \
        else "bots.web"


def test_the_web_applications_stand_on_what_they_share():
    """The site, the console and the Mini App import what they share from bots.web, which
    imports none of them: an arrow back up is a circle at package level. The Mini App may use
    the site's search and cards; the site never uses the Mini App."""
    graph = _package_graph(_web_package)
    assert set(graph) == {"bots.web", "bots.web.site", "bots.web.console", "bots.web.mini_app"}
    assert graph["bots.web"] == set()
    assert _circles(graph) == []


def test_layers_point_one_way():
    modules = _modules()
    outward = {"core": ("conversations", "bots", "payments", "config"),
               "payments": ("conversations", "bots", "config"),
               "conversations": ("bots", "config")}
    wrong = []
    for name, path in modules.items():
        for forbidden in outward.get(name.split(".")[0], ()):
            wrong += [f"{name} -> {t}" for t in _imports(path, modules) if t.split(".")[0] == forbidden]
    assert wrong == []


def test_conversations_import_no_sqlalchemy_and_no_tables():
    pattern = re.compile(r"^\s*(from|import) (sqlalchemy|core\..*tables)", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "conversations").rglob("*.py")
                 if pattern.search(p.read_text())]
    assert offenders == []


def _is_table_class(value: object) -> bool:
    """A SQLAlchemy table class of any context (a subclass of core's declarative base)."""
    return isinstance(value, type) and issubclass(value, Base) and value is not Base


def test_flows_hold_no_table_class():
    """Flows read core's read models, never a table's row: no module of conversations holds a
    table class, imported directly, through a re-export, or as `module.Name` of an imported
    module (which a glance at its imports would miss)."""
    offenders = []
    for info in pkgutil.walk_packages(conversations.__path__, "conversations."):
        module = importlib.import_module(info.name)
        offenders += [f"{info.name}: {name}" for name, value in vars(module).items()
                      if _is_table_class(value)]
        for node in _nodes(Path(module.__file__ or "")):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                held = getattr(module, node.value.id, None)
                if isinstance(held, types.ModuleType) and _is_table_class(
                        getattr(held, node.attr, None)):
                    offenders.append(f"{info.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert offenders == []


def _rows_in(hint: object, seen: set[int]) -> set[str]:
    """The table classes a type names: itself, its arguments (list[…], … | None), and the
    fields of a dataclass it is."""
    if _is_table_class(hint):
        return {hint.__name__}  # type: ignore[union-attr]
    if id(hint) in seen:
        return set()
    seen.add(id(hint))
    found = set().union(*(_rows_in(arg, seen) for arg in typing.get_args(hint)))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        found |= set().union(*(_rows_in(h, seen) for h in typing.get_type_hints(hint).values()))
    return found


def _returns(function: typing.Any) -> object:
    """What a function is annotated to return, evaluated where it was written (its other
    annotations may name types imported for type checking only; the generic containers
    such an import brings are known here too)."""
    if isinstance(function, type):  # a class called: what it builds
        return function
    function = inspect.unwrap(function)  # under a cache or another decorator
    hint = inspect.get_annotations(function).get("return")
    names = {**vars(collections.abc), **vars(typing), **getattr(function, "__globals__", {})}
    return eval(hint, names) if isinstance(hint, str) else hint


def _kept_calls(tree: ast.AST) -> list[ast.Call]:
    """The calls whose result a function keeps (bound, passed on, read): not a call made for
    its effect alone, as a statement."""
    dropped = {id(s.value.value if isinstance(s.value, ast.Await) else s.value)
               for s in ast.walk(tree) if isinstance(s, ast.Expr)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) not in dropped]


def test_flows_are_answered_with_read_models_not_rows():
    """No function of core or payments that a flow calls and keeps the result of returns a
    table row, or a value holding one (by its annotation, through lists, options and
    dataclass fields): a row never reaches a flow, named or not."""
    offenders = set()
    for info in pkgutil.walk_packages(conversations.__path__, "conversations."):
        module = importlib.import_module(info.name)
        for call in _kept_calls(_tree(Path(module.__file__ or ""))):
            called = call.func
            if isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name):
                held = getattr(module, called.value.id, None)
                target = getattr(held, called.attr, None) \
                    if isinstance(held, types.ModuleType) else None
            else:
                target = getattr(module, called.id, None) if isinstance(called, ast.Name) else None
            if not callable(target) or getattr(target, "__module__", "").split(".")[0] not in (
                    "core", "payments"):
                continue
            rows = _rows_in(_returns(target), set())
            if rows:
                offenders.add(f"{info.name}:{call.lineno}: {target.__module__}."
                              f"{target.__qualname__} -> {sorted(rows)}")
    assert sorted(offenders) == []


# The seam between what core keeps and what people read (DESIGN 18): amounts kept in minor
# units and quantities in thousandths become Money and quantities in core's read models; a
# flow, a page's template or a PDF's drawing never reads such a column itself.
RAW_COLUMN = re.compile(r"_(minor|milli)$")


def _raw_reads(tree: ast.AST) -> list[int]:
    """Lines where a `*_minor`/`*_milli` attribute of something other than `self` is read (a
    function of that name called, like `present.quantity_milli(...)`, is no column)."""
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [n.lineno for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and RAW_COLUMN.search(n.attr) and id(n) not in called
            and not (isinstance(n.value, ast.Name) and n.value.id == "self")]


def test_flows_read_no_raw_money_or_quantity_columns():
    offenders = [f"{p.relative_to(ROOT)}:{line}" for p in (ROOT / "conversations").rglob("*.py")
                 for line in _raw_reads(_tree(p))]
    assert offenders == []


def test_page_templates_read_no_raw_money_or_quantity_columns():
    pattern = re.compile(r"\.\w+_(minor|milli)\b")
    offenders = [f"{p.relative_to(ROOT)}:{n}"
                 for p in (ROOT / "bots" / "web" / "templates").rglob("*.html")
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_page_templates_write_days_through_the_presenter():
    """A page (the console's included) writes a day or a time with `day`/`shown`, in its
    reader's conventions, never with a fixed pattern (a `datetime` attribute, for machines,
    is ISO as HTML wants it)."""
    for_machines = re.compile(r'datetime="\{\{[^}]*\}\}"')
    offenders = [f"{p.relative_to(ROOT)}:{n}"
                 for p in (ROOT / "bots" / "web" / "templates").rglob("*.html")
                 for n, line in enumerate(p.read_text().splitlines(), 1)
                 if re.search(r"\.strftime\(|\.isoformat\(\)", for_machines.sub("", line))]
    assert offenders == []


def test_pdf_writers_draw_from_read_models_not_raw_columns():
    """A function that draws a Document, and the module's helpers it calls, read no column
    kept in minor units or thousandths."""
    offenders = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            functions = {f.name: f for f in _nodes(path)
                         if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
            drawing = [f for f in functions.values() if any(
                isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Document"
                for n in ast.walk(f))]
            for function in _with_helpers(drawing, functions):
                offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _raw_reads(function)]
    assert offenders == []


def _with_helpers(roots: list[ast.AST], functions: dict[str, ast.AST]) -> list[ast.AST]:
    seen: dict[str, ast.AST] = {}
    todo = list(roots)
    while todo:
        function = todo.pop()
        for node in ast.walk(function):
            name = getattr(node, "id", None) if isinstance(node, ast.Name) else None
            if name in functions and name not in seen:
                seen[name] = functions[name]
                todo.append(functions[name])
    return [*roots, *(f for f in seen.values() if f not in roots)]


def test_core_and_payments_name_no_flow_and_no_slash_command():
    commands = {c for c, _ in Registry(ALL_FLOWS).command_list()}
    slash = re.compile(r"(^|[\s(“\"'])/(" + "|".join(sorted(commands)) + r")\b")
    offenders = []
    for package in ("core", "payments"):
        for path in (ROOT / package).rglob("*.py"):
            for node in _nodes(path):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if "@go:" in node.value or slash.search(node.value):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def _every_contexts_intents() -> frozenset[Intent]:
    """Every intent declared anywhere in core: each context's `intents.py`, imported."""
    for path in sorted((ROOT / "core").rglob("intents.py")):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return Intent.declared()


def test_every_intent_core_can_send_is_carried_out_by_a_flow():
    intents = _every_contexts_intents()
    assert len(intents) >= 58
    registry = Registry(ALL_FLOWS)
    assert registry.missing_intents() == set()
    for intent in intents:
        assert registry.target(intent.value, "7") is not None


def test_intents_are_declared_by_their_contexts_not_in_one_list():
    """core.actions says what an intent is; each context declares its own, in its own
    `intents.py`, so no file grows with every feature."""
    assert _every_contexts_intents()
    for path in (ROOT / "core").rglob("*.py"):
        if path.name != "intents.py":
            source = path.read_text()
            assert not re.search(r"= Intent\(", source), f"{path}: an intent declared outside intents.py"


def test_every_command_is_in_help_and_in_the_channels_command_list(chat):
    registry = chat.engine.registry  # every flow, as the application's engine has them
    listed = dict(registry.command_list())
    for entry in registry.entries.values():
        if entry.commands:
            assert entry.commands[0] in listed, entry.name
    assert {"wallet", "payouts", "watchlist", "receipt", "saved", "market"} <= set(listed)


async def test_every_menu_entry_appears_in_the_menu_of_its_role_and_opens_its_flow(chat):
    chat.turns.register("terminal", "root", "root", roles=("seller", "buyer"), admin=True)
    everyone = ChatUser(chat, "root")
    await everyone.say("/menu")
    menu = {b.label: b.data for r in everyone.last for row in getattr(r, "buttons", ()) for b in row}
    for entry in chat.engine.registry.entries.values():
        for item in entry.menu:
            if set(item.roles) & {"seller", "buyer", "admin", "member"} and item.when is None:
                assert menu.get(item.label) == f"@go:{entry.name}", item.label
    help_text = "\n".join(r.text for r in await everyone.send(Choice("@help")))
    for command, _ in chat.engine.registry.command_list():
        assert f"/{command} " in help_text


def test_a_flow_with_a_command_but_no_summary_is_refused_when_the_registry_is_built():
    from conversations.flow import OneStepCommand

    async def run(ctx):  # pragma: no cover - never run
        raise AssertionError

    try:
        Registry([OneStepCommand(name="x", title="x", commands=("x",), run=run)])
    except ValueError as exc:
        assert "summary" in str(exc)
    else:
        raise AssertionError("a command without a summary was accepted")


def test_no_money_arithmetic_by_a_hundred_anywhere():
    pattern = re.compile(r"\*\s?100\b|/\s?100\b|\b100\s?\*")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for package in PACKAGES
                 for p in (ROOT / package).rglob("*.py")
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_savepoints_are_taken_through_the_unit_of_work():
    # A unit of work writes its notices at commit (`UnitOfWork.stage`); a savepoint taken on
    # the session behind its back would leave the notices of a step it undid to be sent.
    offenders = [f"{p.relative_to(ROOT)}:{n}" for package in PACKAGES
                 for p in (ROOT / package).rglob("*.py") if p != ROOT / "core/storage/uow.py"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if "begin_nested" in line]
    assert offenders == []


# Every context of core that has services keeps its rules (prices, fees, limits, windows) as
# plain functions in a `rules.py` that needs no database, so they are tested without one; rules
# split by subject sit beside it as `*_rules.py` (catalog: `upload_rules.py`), held alike.
RULE_CONTEXTS = ("accounts", "catalog", "deals", "consulting/bookings", "consulting/sessions",
                 "support", "loyalty", "learning", "community",
                 "operators", "companies", "consulting/profiles", "market", "recommend")


def _rule_parts(context: str) -> list[str]:
    """The modules beside a context's `rules.py` that hold its rules too (`*_rules.py`)."""
    return sorted(p.stem for p in (ROOT / "core" / context).glob("*_rules.py"))


def test_every_context_with_services_has_rules_that_need_no_database():
    pattern = re.compile(r"^\s*(from|import) (sqlalchemy|core\.storage)\b", re.MULTILINE)
    missing, offenders = [], []
    for context in RULE_CONTEXTS:
        rules = ROOT / "core" / context / "rules.py"
        if not rules.exists():
            missing.append(context)
        for module in ["rules", *_rule_parts(context)]:
            path = ROOT / "core" / context / f"{module}.py"
            if path.exists() and pattern.search(path.read_text()):
                offenders.append(f"{context}/{module}")
    assert (missing, offenders) == ([], [])


def test_payments_rules_import_no_database():
    """Money's rules on plain values (`payments/*_rules.py`: transfer matching, settlement
    plans, reconciliation, the wallet's figures) are tested without a database: they import
    neither sqlalchemy nor the storage (the rows they read come in as plain values)."""
    pattern = re.compile(r"^(from|import) (sqlalchemy|core\.storage)\b", re.MULTILINE)
    modules = sorted((ROOT / "payments").glob("*_rules.py"))
    assert len(modules) >= 4
    assert [p.name for p in modules if pattern.search(p.read_text())] == []


def test_the_rules_load_without_sqlalchemy_even_round_about():
    import subprocess
    import sys

    names = ", ".join("core." + c.replace("/", ".") + "." + module for c in RULE_CONTEXTS
                      for module in ["rules", *_rule_parts(c)])
    probe = (f"import sys, {names}; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' "
             "or m.startswith('core.storage'))[:3])")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "[]"


# What config/event_wiring.py may register itself: what crosses every context (the dispatcher's
# wake-up after each commit, this worker's search and consultant indexes).
CROSS_CUTTING_HANDLERS = {"wake", "upkeep", "directory_upkeep"}


def test_the_composition_root_lists_contexts_and_registers_none_of_their_handlers():
    """Each context declares its handlers in its own `wiring.py`; config/event_wiring.py lists
    the contexts and registers only what crosses them all, so it stays short."""
    path = ROOT / "config" / "event_wiring.py"
    source = path.read_text()
    calls = [(node.func.attr, node) for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr in ("during_commit", "after_commit")]
    own = [f"{path.name}:{call.lineno}: {ast.unparse(call)}" for phase, call in calls
           if phase == "during_commit"
           or ast.unparse(call.args[1]).split("(")[0] not in CROSS_CUTTING_HANDLERS]
    assert own == []
    assert len(calls) <= 6
    assert len(source.splitlines()) <= 120


def test_every_context_s_wiring_is_listed_by_the_composition_root():
    """A context's `wire(bus, deps)` (and each of payments', one per bridge) runs only if the
    composition root lists it, in its context's entry of `config.contexts.CONTEXTS`."""
    from config.contexts import CONTEXTS

    wired = [wire for context in CONTEXTS for wire in context.wire]
    declared = []
    for name in _modules():
        if name.split(".")[0] in ("core", "payments") and name.endswith(".wiring"):
            module = importlib.import_module(name)
            declared += [function for function in vars(module).values()
                         if inspect.isfunction(function) and function.__module__ == name
                         and not function.__name__.startswith("_")
                         and list(inspect.signature(function).parameters) == ["bus", "deps"]]
    assert len(declared) > 10
    assert [f"{f.__module__}.{f.__name__}" for f in declared if f not in wired] == []
    assert len(wired) == len(set(wired))
    assert len({context.name for context in CONTEXTS}) == len(CONTEXTS)


def _deals_part(module: str) -> str | None:
    """`core.deals.offers.service` → `core.deals.offers`; a module directly in core.deals (the
    deal itself: deals, rules, facts, cards…) is its own part."""
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["core", "deals"] and len(parts) > 2 else None


def test_the_parts_of_deals_stand_in_layers():
    """core/deals' sub-packages (threads, terms, ratings, after_sale, contracts, offers,
    approvals, requests, notices) and its top modules import one another one way: offers may
    open a deal, a deal never reaches back into offers."""
    graph = _package_graph(_deals_part)
    assert {"core.deals.offers", "core.deals.requests", "core.deals.terms"} <= set(graph)
    assert _circles(graph) == []
