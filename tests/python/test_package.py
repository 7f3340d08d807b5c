"""The package as shipped: version, the C library and header in the wheel, the public names, the stub."""

from __future__ import annotations

import ctypes
import inspect
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import libbackoff as lb
from libbackoff.retrying import Retrying, RetryOptions


def header_version() -> str:
    header = Path(lb.get_include(), "backoff.h").read_text(encoding="utf-8")
    parts = [re.search(rf"#define BACKOFF_VERSION_{part} (\d+)", header) for part in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(match.group(1) for match in parts if match)


def test_version_comes_from_the_header_macros():
    assert lb.__version__ == header_version()
    from importlib.metadata import version

    assert version("libbackoff") == lb.__version__


def test_the_wheel_ships_a_loadable_c_library():
    library = ctypes.CDLL(lb.get_library_path())
    library.backoff_version_string.restype = ctypes.c_char_p
    assert library.backoff_version_string().decode() == lb.__version__


def test_the_wheel_ships_each_c_library_once_under_its_soname():
    library = Path(lb.get_library_path())
    assert library.name == "libbackoff.so.0"
    contents = [path.read_bytes() for path in library.parent.iterdir()]
    assert len(set(contents)) == len(contents)  # a wheel cannot hold symlinks: no copy under a second name


def test_a_program_linked_with_the_wheels_library_runs(tmp_path):
    library = Path(lb.get_library_path())
    source = tmp_path / "app.c"
    source.write_text(
        '#include <stdio.h>\n#include "backoff.h"\nint main(void) { puts(backoff_version_string()); return 0; }\n'
    )
    program = tmp_path / "app"
    compiler = os.environ.get("CC", "cc")
    link = [compiler, str(source), f"-I{lb.get_include()}", str(library), f"-Wl,-rpath,{library.parent}"]
    subprocess.run([*link, "-o", str(program)], check=True)
    assert subprocess.run([str(program)], capture_output=True, text=True, check=True).stdout.strip() == lb.__version__


def test_every_public_name_and_member_is_documented():
    undocumented = []
    for name in lb.__all__:
        value = getattr(lb, name)
        # A type alias such as StateListener is no class, though Python 3.10's inspect.isclass says it is.
        if isinstance(value, types.GenericAlias) or not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        if not inspect.getdoc(value):
            undocumented.append(name)
        if inspect.isclass(value):
            for member, attribute in vars(value).items():
                public = not member.startswith("_") and (callable(attribute) or isinstance(attribute, property))
                if public and not inspect.getdoc(attribute):
                    undocumented.append(f"{name}.{member}")
    assert undocumented == []


def test_retrying_refuses_a_keyword_that_retry_options_do_not_list():
    # RetryOptions is the one list of the keywords: Retrying reads it, and nothing else.
    assert "max_attempts" in RetryOptions.__optional_keys__
    with pytest.raises(TypeError, match=r"Retrying\(\) got an unexpected keyword argument 'max_atempts'"):
        Retrying(max_atempts=3)  # type: ignore[call-arg]


def test_the_stub_matches_the_extension():
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "libbackoff._core"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
