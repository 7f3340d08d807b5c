"""The package as shipped: version, the C library and header in the wheel, the public names, the stub."""

from __future__ import annotations

import ctypes
import inspect
import re
import subprocess
import sys
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
    assert Path(lb.get_library_path()).with_name("libbackoff.so.0").is_file()  # the SONAME, for linked programs


def test_every_public_name_and_member_is_documented():
    undocumented = []
    for name in lb.__all__:
        value = getattr(lb, name)
        if not (inspect.isclass(value) or inspect.isfunction(value)):
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
