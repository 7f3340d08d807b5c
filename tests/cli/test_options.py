"""Options: policy parameters named as in C and Python, the core's messages for bad values, help, version."""
import os
import re
import subprocess
from pathlib import Path

import pytest

HEADER = Path(__file__).resolve().parents[2] / "capi" / "include" / "backoff.h"

# Every policy parameter of the C API, with a valid value.
PARAMETERS = {
    "kind": "linear", "initial": "1s", "multiplier": "3", "increment": "1s", "cap": "2m", "jitter": "equal",
    "randomization_factor": "0.25", "max_attempts": "7", "max_elapsed": "1h", "seed": "99", "deadline": "30s",
    "stop_when": "all",
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
    (["retry", "--timeout", "0.1ns", "--", "true"], ["timeout", "shorter than 1 ns", "0.1ns"]),
    (["retry", "--timeout", " 5s", "--", "true"], ["timeout", " 5s"]),
    (["schedule", "--max-elapsed", "0.4ns"], ["max_elapsed", "shorter than 1 ns", "0.4ns"]),
    (["schedule", "--max-attempts", "5 "], ["max_attempts", "5 "]),
    (["schedule", "--max-attempts", "0x10"], ["max_attempts", "non-negative integer", "0x10"]),
])
def test_a_bad_value_exits_2_with_a_message_naming_the_parameter_after_a_usage_line(run, args, names):
    result = run(*args)
    assert result.returncode == 2
    usage, message = result.stderr.splitlines()
    assert usage.startswith("usage: backoff") and "--help" in usage
    assert message.startswith("backoff: ")
    for name in names:
        assert name in message
    assert result.stdout == ""


@pytest.mark.parametrize("args, expected", [
    (["retry", "--retry-on", "abc", "--", "true"], "retry-on"),
    (["retry", "--retry-on", "256", "--", "true"], "retry-on"),
    (["retry", "--permanent", "5-2", "--", "true"], "permanent"),
    (["retry", "--retry-if-output", "(unclosed", "--", "true"], "retry-if-output"),
    (["retry", "--frobnicate", "--", "true"], "unknown option '--frobnicate'"),
    (["retry", "-x", "--", "true"], "unknown option '-x'"),
    (["retry", "--quiet=yes", "--", "true"], "quiet"),
    (["retry", "--stream=yes", "--", "true"], "stream"),
    (["retry", "--initial", "1s"], "no command"),
    (["schedule", "--initial"], "needs a value"),
    (["schedule", "--json=yes"], "json"),
    (["schedule", "extra"], "unexpected argument 'extra'"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    ([], "no command"),
])
def test_a_bad_option_exits_2_with_the_message_last_under_a_one_line_usage(run, args, expected):
    result = run(*args)
    assert result.returncode == 2
    usage, message = result.stderr.splitlines()
    assert usage.startswith("usage: backoff") and "--help" in usage
    assert message.startswith("backoff: ") and expected in message


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


@pytest.mark.parametrize("text, attempts", [("010", 10), ("08", 8), ("0010", 10)])
def test_counts_are_decimal_so_a_leading_zero_is_not_octal(run, text, attempts):
    result = run("schedule", "--json", "--max-attempts", text)
    assert result.returncode == 0, result.stderr
    assert f'"max_attempts": {attempts},' in result.stdout


def test_durations_are_exact_up_to_int64_max_nanoseconds(run):
    result = run("schedule", "--json", "--initial", "1s", "--cap", "9223372036.854775807s")
    assert result.returncode == 0, result.stderr
    assert '"cap_ns": 9223372036854775807,' in result.stdout


@pytest.mark.parametrize("zero", ["0", "0s", "0.0ms"])
def test_a_zero_timeout_in_any_spelling_means_no_timeout(run, zero):
    result = run("retry", "--timeout", zero, "--", "sh", "-c", "sleep 0.2")
    assert (result.returncode, result.stderr) == (0, "")


def test_a_timeout_below_one_nanosecond_is_rejected_before_running_anything(run, tmp_path):
    marker = tmp_path / "ran"
    result = run("retry", "--timeout", "0.1ns", "--", "touch", str(marker))
    assert result.returncode == 2
    assert not marker.exists()


@pytest.mark.parametrize("args", [["schedule"], ["schedule", "--json"], ["--help"], ["retry", "--help"],
                                  ["--version"]])
def test_a_failed_write_of_its_own_output_prints_why_and_exits_125(cli, args):
    with open("/dev/full", "w") as full:
        result = subprocess.run([cli, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=30)
    assert result.returncode == 125
    assert "backoff: cannot write the standard output: No space left on device" in result.stderr


def test_a_closed_stdout_is_a_write_error_too(cli):
    result = subprocess.run([cli, "schedule"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            timeout=30, preexec_fn=lambda: os.close(1))
    assert result.returncode == 125
    assert "backoff: cannot write the standard output" in result.stderr


def test_help_shows_the_library_s_defaults_and_choices(run):
    # backoff.h's policy table is held to the library (tests/header); the help is written from the library.
    rows = re.findall(r'^ \* \| BACKOFF_PARAM_(\w+?)(?:_NS)?\b.*?\| (\w+) +\| (\S+) +\|', HEADER.read_text(), re.M)
    assert len(rows) == len(PARAMETERS)
    help_text = run("schedule", "--help").stdout
    for param, _type, default in rows:
        option = "--" + param.lower().replace("_", "-")
        line = next(line for line in help_text.splitlines() if line.strip().startswith(option + " "))
        expected = "5" if param == "MAX_ATTEMPTS" else default  # a retry loop's, given no stop
        assert line.endswith(f"(default {expected})"), line
    assert re.search(r"how waits are spread: none, full, .*\(default full\)", help_text)
