"""The package's shape, as docs/architecture.md describes it: no import cycle, algorithms
that know nothing of the database or the web, short modules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "app"
LONGEST = 500

# Pure layers: they compute, and never reach for storage, jobs, the web or the CLI.
PURE = ("app.align", "app.review", "app.qa", "app.formats", "app.compare", "app.ingest")
PURE += ("app.evaluation", "app.segments", "app.errors")
OUTER = ("flask", "werkzeug", "sqlalchemy", "app.store", "app.services", "app.jobs")
OUTER += ("app.web", "app.cli")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(name: str) -> set[str]:
    """Every module ``name`` imports, at its top or inside a function, except the imports
    made only for type checkers."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for statement in child.orelse:
                    visit_one(statement)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # ``from package import module`` depends on the module, not on the package's
            # __init__ (which every import of a submodule runs first anyway).
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules() else base)
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def internal_imports(name: str) -> set[str]:
    """The modules of the package that ``name`` imports (a name imported from a package
    counts as the package, unless it is a module of its own)."""
    known = modules()
    result = set()
    for target in imported(name):
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            result.add(target)
    return result


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph[node]:
            if neighbour not in index:
                connect(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            connect(name)
    return groups


def test_no_module_imports_itself_back_through_others():
    assert cycles({name: internal_imports(name) for name in modules()}) == []


def test_the_cycle_finder_sees_a_loop_through_several_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({**graph, "c": set()}) == []


def test_the_algorithms_know_nothing_of_storage_jobs_or_the_web():
    reaching = {
        (name, target)
        for name in modules()
        if name.startswith(PURE)
        for target in imported(name)
        if target.startswith(OUTER)
    }
    assert reaching == set()


def test_the_web_layer_does_not_know_how_an_aligner_scores():
    reaching = {
        (name, target)
        for name in modules()
        if name.startswith("app.web")
        for target in imported(name)
        if target.startswith("app.align")
    }
    assert reaching == set()


def documented_long_modules() -> dict[str, str]:
    """The modules docs/architecture.md allows past the limit, with the reason it gives."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Long modules", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `(app/[\w/]+\.py)` \| (.+?) \|$", section, re.MULTILINE))


def test_modules_are_short_unless_the_docs_say_why():
    allowed = documented_long_modules()
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert {name: n for name, n in too_long.items() if name not in allowed} == {}
    # An exception stays only while the module is long.
    assert set(allowed) <= set(too_long)


def test_the_review_core_loads_without_the_web_or_the_database():
    # The package's __init__ holds only the version: importing an algorithm starts
    # neither Flask nor SQLAlchemy.
    probe = "import sys, app.review.ops, app.align.engine; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "'flask'" not in loaded
    assert "'sqlalchemy'" not in loaded
    assert "'app.review.ops'" in loaded


def test_the_command_modules_never_import_the_cli_back():
    # The root group loads them by name (app.cli.COMMAND_MODULES), which the cycle finder
    # cannot see, so the other direction is held here.
    reaching = {
        name
        for name in modules()
        if name.startswith("app.cli.") and "app.cli" in internal_imports(name)
    }
    assert reaching == set()
