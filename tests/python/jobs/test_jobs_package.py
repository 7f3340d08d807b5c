"""libbackoff.jobs as shipped: the extension's stub, the library in the wheel, documented public names."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import libbackoff
import libbackoff.jobs as jobs


def test_the_stub_matches_the_extension() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "libbackoff._jobs"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wheel_ships_libbackoff_jobs_beside_libbackoff() -> None:
    assert Path(libbackoff.get_library_path()).with_name("libbackoff_jobs.so.0").is_file()


def test_every_public_name_and_method_is_documented() -> None:
    undocumented = []
    for name in jobs.__all__:
        value = getattr(jobs, name)
        if not inspect.getdoc(value):
            undocumented.append(name)
        if inspect.isclass(value):
            for member, attribute in vars(value).items():
                if not member.startswith("_") and callable(attribute) and not inspect.getdoc(attribute):
                    undocumented.append(f"{name}.{member}")
    assert undocumented == []
