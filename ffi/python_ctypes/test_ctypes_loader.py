"""Where backoff_ctypes finds libbackoff.so: BACKOFF_LIBRARY, then the wheel, then the system loader."""
from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import backoff_ctypes


def fake_wheel(monkeypatch: pytest.MonkeyPatch, **attributes: object) -> None:
    monkeypatch.setitem(sys.modules, "libbackoff", types.SimpleNamespace(**attributes))


def test_environment_variable_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKOFF_LIBRARY", "/opt/custom/libbackoff.so")
    fake_wheel(monkeypatch, get_library_path=lambda: "/wheel/libbackoff.so")
    assert backoff_ctypes.find_library() == "/opt/custom/libbackoff.so"


def test_wheel_copy_comes_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKOFF_LIBRARY", raising=False)
    fake_wheel(monkeypatch, get_library_path=lambda: Path("/wheel/libbackoff.so"))
    assert backoff_ctypes.find_library() == "/wheel/libbackoff.so"


def test_system_loader_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKOFF_LIBRARY", raising=False)
    monkeypatch.setitem(sys.modules, "libbackoff", None)  # makes `import libbackoff` fail
    assert backoff_ctypes.find_library() == backoff_ctypes.SYSTEM_NAME


def test_wheel_without_the_accessor_falls_back_to_the_system_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKOFF_LIBRARY", raising=False)
    fake_wheel(monkeypatch)
    assert backoff_ctypes.find_library() == backoff_ctypes.SYSTEM_NAME


def test_loaded_library_is_the_version_this_module_speaks() -> None:
    assert backoff_ctypes.load_library().backoff_version_string().decode().startswith("0.")


def run_loader(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = "import sys; sys.modules['libbackoff'] = None; import backoff_ctypes; print(backoff_ctypes.Policy().delay(0))"
    return subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=Path(__file__).parent, capture_output=True, text=True
    )


def test_system_loader_finds_the_library_on_ld_library_path() -> None:
    library = os.environ.get("BACKOFF_LIBRARY")
    if not library:
        pytest.fail("run with BACKOFF_LIBRARY set to the libbackoff.so under test (scripts/test-ffi does)")
    env = {k: v for k, v in os.environ.items() if k != "BACKOFF_LIBRARY"}
    env["LD_LIBRARY_PATH"] = str(Path(library).parent)
    result = run_loader(env)
    assert result.returncode == 0, result.stderr
    assert 0 <= int(result.stdout) <= 100_000_000


def test_missing_library_fails_with_a_message_that_says_how_to_point_at_it(tmp_path: Path) -> None:
    env = dict(os.environ, BACKOFF_LIBRARY=str(tmp_path / "libbackoff.so"))
    result = run_loader(env)
    assert result.returncode != 0
    assert "set BACKOFF_LIBRARY" in result.stderr
