"""The modules of python/libbackoff import one another without a circle.

A circle is held together only by imports written inside functions (or by the order the package
happens to import its modules in), so it is checked on the source: every ``import`` statement,
at module level or inside a function, is an arrow. Imports under ``if TYPE_CHECKING:`` are not
arrows: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "python" / "libbackoff"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package; the compiled ``_core`` counts by its stub and imports nothing."""
    return {module_name(path): path for pattern in ("*.py", "*.pyi") for path in PACKAGE.rglob(pattern)}


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            yield from (inner for orelse in node.orelse for inner in [orelse, *runtime_nodes(orelse)])
            continue
        yield node
        yield from runtime_nodes(node)


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports: ``from . import x`` names module ``x`` when
    ``x`` is one, ``from .m import f`` names module ``m``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            submodules = {f"{source}.{alias.name}" for alias in node.names} & known.keys()
            found.update(submodules or {source})
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of ``graph`` as a path that starts and ends on the same module, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            circle = visit(target, [*path, node])
            if circle is not None:
                return circle
        done.add(node)
        return None

    for start in sorted(graph):
        circle = visit(start, [])
        if circle is not None:
            return circle
    return None


def test_no_module_of_the_package_imports_itself_back() -> None:
    circle = find_circle(import_graph())
    assert circle is None, "import circle: " + " -> ".join(circle or [])


def test_the_check_sees_a_circle_made_by_a_function_level_import(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_circle(graph) == ["a", "b", "c", "a"]


def test_the_graph_counts_imports_inside_functions() -> None:
    # retrying.py's loop needs the core: an arrow the check must see whichever way it is written.
    graph = import_graph()
    assert "libbackoff._core" in graph["libbackoff.retrying"] or "libbackoff._core" not in modules()
    assert graph["libbackoff.httpx._sync_transport"], "the httpx transport imports the package"


@pytest.mark.parametrize("source", ["def f():\n    from . import retrying\n"])
def test_a_function_level_import_is_an_arrow(source: str) -> None:
    tree = ast.parse(source)
    assert any(isinstance(node, ast.ImportFrom) for node in runtime_nodes(tree))
