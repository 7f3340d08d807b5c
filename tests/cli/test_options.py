"""Options: policy parameters named as in C and Python, the core's messages for bad values, help, version."""
import re
from pathlib import Path

import pytest

HEADER = Path(__file__).resolve().parents[2] / "capi" / "include" / "backoff.h"

# Every policy parameter of the C API, with a valid value.
PARAMETERS = {
    "kind": "linear", "initial": "1s", "multiplier": "3", "increment": "1s", "cap": "2m", "jitter": "equal",
    "randomization_factor": "0.25", "max_attempts": "7", "max_elapsed": "1h", "seed": "99",
}


@pytest.mark.parametrize("parameter", sorted(PARAMETERS))
def test_every_policy_parameter_is_an_option_with_dashes_for_underscores(run, parameter):
    option = "--" + parameter.replace("_", "-")
    result = run("schedule", "--json", option, PARAMETERS[parameter])
    assert result.returncode == 0, result.stderr
    assert option in run("schedule", "--help").stdout


def test_an_option_value_may_follow_an_equals_sign(run):
    result = run("schedule", "--json", "--initial=2s", "--jitter=none")
    assert '"initial_ns": 2000000000' in result.stdout


@pytest.mark.parametrize("args, names", [
    (["schedule", "--multiplier", "0.5"], ["multiplier", "0.5"]),
    (["schedule", "--initial", "5"], ["initial", "unit"]),
    (["schedule", "--max-attempts", "-1"], ["max_attempts", "-1"]),
    (["schedule", "--max-attempts", "lots"], ["max_attempts", "lots"]),
    (["schedule", "--jitter", "sometimes"], ["jitter", "sometimes"]),
    (["schedule", "--kind", "fibonacci"], ["kind", "fibonacci"]),
    (["schedule", "--randomization-factor", "2"], ["randomization_factor", "2"]),
    (["schedule", "--initial", "2s", "--cap", "1s"], ["cap", "initial"]),
    (["schedule", "--multiplier", "nan"], ["multiplier", "NaN"]),
    (["retry", "--timeout", "soon", "--", "true"], ["timeout", "soon"]),
    (["retry", "--kill-after", "-1s", "--", "true"], ["kill-after"]),
])
def test_a_bad_value_exits_2_with_a_message_naming_the_parameter_and_the_usage(run, args, names):
    result = run(*args)
    assert result.returncode == 2
    message = result.stderr.splitlines()[0]
    assert message.startswith("backoff: ")
    for name in names:
        assert name in message
    assert "usage: backoff" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args, expected", [
    (["retry", "--retry-on", "abc", "--", "true"], "retry-on"),
    (["retry", "--retry-on", "256", "--", "true"], "retry-on"),
    (["retry", "--permanent", "5-2", "--", "true"], "permanent"),
    (["retry", "--retry-if-output", "(unclosed", "--", "true"], "retry-if-output"),
    (["retry", "--frobnicate", "--", "true"], "unknown option '--frobnicate'"),
    (["retry", "-x", "--", "true"], "unknown option '-x'"),
    (["retry", "--quiet=yes", "--", "true"], "quiet"),
    (["retry", "--initial", "1s"], "no command"),
    (["schedule", "--initial"], "needs a value"),
    (["schedule", "--json=yes"], "json"),
    (["schedule", "extra"], "unexpected argument 'extra'"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    ([], "no command"),
])
def test_a_bad_option_exits_2_with_a_message_and_the_usage(run, args, expected):
    result = run(*args)
    assert result.returncode == 2
    assert expected in result.stderr.splitlines()[0]
    assert "usage: backoff" in result.stderr


def test_a_bad_option_does_not_run_the_command(run, tmp_path):
    marker = tmp_path / "ran"
    result = run("retry", "--multiplier", "0.5", "--", "touch", str(marker))
    assert result.returncode == 2
    assert not marker.exists()


@pytest.mark.parametrize("args, synopsis", [
    (["--help"], "usage: backoff retry"),
    (["-h"], "usage: backoff retry"),
    (["retry", "--help"], "usage: backoff retry"),
    (["schedule", "-h"], "usage: backoff schedule"),
])
def test_help_goes_to_stdout_and_exits_0(run, args, synopsis):
    result = run(*args)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(synopsis)


def test_retry_help_does_not_run_a_command(run, tmp_path):
    marker = tmp_path / "ran"
    assert run("retry", "--help", "--", "touch", str(marker)).returncode == 0
    assert not marker.exists()


def test_version_is_the_headers(run):
    version = re.search(r'#define BACKOFF_VERSION_STRING "([^"]+)"', HEADER.read_text()).group(1)
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"backoff {version} (libbackoff {version})\n"
