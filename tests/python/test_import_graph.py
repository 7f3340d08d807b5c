"""The modules of python/libbackoff import one another without a circle.

A circle is held together only by imports written inside functions (or by the order the package
happens to import its modules in), so it is checked on the source: every ``import`` statement,
at module level or inside a function, is an arrow. So is one under ``if TYPE_CHECKING:``: it never
runs, but a module that needs another's types to be read sits above it as surely as one that calls
it (a lower module says what it needs of a higher one with a Protocol instead).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "python" / "libbackoff"


def module_name(package: Path, path: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path) -> dict[str, Path]:
    """Every module of ``package``; the compiled ``_core`` counts by its stub and imports nothing."""
    return {module_name(package, path): path for pattern in ("*.py", "*.pyi") for path in package.rglob(pattern)}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports: ``from . import x`` names module ``x`` when
    ``x`` is one, ``from .m import f`` names module ``m``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    known = modules(package)
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


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    package.mkdir()
    for name, source in {"__init__.py": "", **files}.items():
        (package / name).write_text(source, encoding="utf-8")
    return package


def test_a_circle_closed_by_an_import_inside_a_function_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {"a.py": "from . import b\n", "b.py": "def late():\n    from .a import helper\n    return helper\n"},
    )
    assert find_circle(import_graph(package)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_an_import_for_type_checking_only_is_an_arrow_too(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "a.py": "from . import b\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import helper\n",
        },
    )
    assert import_graph(package)["pkg.b"] == {"pkg.a"}
    assert find_circle(import_graph(package)) == ["pkg.a", "pkg.b", "pkg.a"]
