"""Makes ``import tenacity`` (or ``import backoff``) load libbackoff's compatibility module instead, so a
peer's own test suite runs unchanged against it. Installed by the conftest.py that scripts/test-compat
writes beside the peer's tests; never used by library code.

``install("tenacity", "libbackoff.compat.tenacity")`` puts a finder first on ``sys.meta_path``: the
peer's name and every dotted name under it resolve to the same module under the target, so
``tenacity.wait`` *is* ``libbackoff.compat.tenacity.wait`` (a patch through either name is seen by both).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, name: str, target: str) -> None:
        self.name, self.target = name, target

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name and not fullname.startswith(self.name + "."):
            return None
        real = importlib.import_module(self.target + fullname[len(self.name) :])
        return importlib.machinery.ModuleSpec(fullname, self, is_package=hasattr(real, "__path__"))

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        # The real module itself, not a copy: the import system then stores it under the peer's name.
        return importlib.import_module(self.target + spec.name[len(self.name) :])

    def exec_module(self, module: types.ModuleType) -> None:
        pass  # already executed under its real name


def install(name: str, target: str) -> None:
    """Resolves ``name`` and its submodules to ``target``'s, ahead of any installed ``name``."""
    for loaded in [key for key in sys.modules if key == name or key.startswith(name + ".")]:
        del sys.modules[loaded]
    sys.meta_path.insert(0, _Alias(name, target))
    module = importlib.import_module(name)
    # Every submodule the target already loaded gets its alias now: importing one later through the
    # finder would bind it as an attribute of the package, and tenacity.retry (the submodule) would
    # replace tenacity.retry (the decorator).
    for loaded, submodule in list(sys.modules.items()):
        if loaded.startswith(target + "."):
            sys.modules.setdefault(name + loaded[len(target) :], submodule)
    if module.__name__ != target:
        raise RuntimeError(f"{name} resolves to {module.__name__}, not {target}")
