"""`backoff schedule`: the table, the JSON and the SVG plot, against values worked out by hand."""
import json
import xml.etree.ElementTree as ET

import pytest

MS = 1_000_000
SVG = "{http://www.w3.org/2000/svg}"


def table_rows(stdout):
    """The rows of the table: lists of cells, the retry number first."""
    return [line.split() for line in stdout.splitlines() if line[:5].strip().isdigit()]


def test_without_jitter_the_table_shows_each_exact_wait_and_the_running_total(run):
    result = run("schedule", "--initial", "100ms", "--multiplier", "2", "--cap", "1s", "--jitter", "none",
                 "--max-attempts", "6")
    assert result.returncode == 0
    # 100ms doubling, capped at 1s: five retries for six attempts.
    assert table_rows(result.stdout) == [
        ["1", "100ms", "100ms"],
        ["2", "200ms", "300ms"],
        ["3", "400ms", "700ms"],
        ["4", "800ms", "1.5s"],
        ["5", "1s", "2.5s"],
    ]
    assert "worst-case total wait: 2.5s" in result.stdout
    assert "exponential, no jitter: initial 100ms, multiplier 2, cap 1s, max_attempts 6" in result.stdout


def test_linear_and_constant_kinds(run):
    linear = run("schedule", "--kind", "linear", "--initial", "1s", "--increment", "500ms", "--jitter", "none",
                 "--max-attempts", "4")
    assert [row[1] for row in table_rows(linear.stdout)] == ["1s", "1.5s", "2s"]
    assert "worst-case total wait: 4.5s" in linear.stdout
    constant = run("schedule", "--kind", "constant", "--initial", "250ms", "--jitter", "none",
                   "--max-attempts", "3")
    assert [row[1:] for row in table_rows(constant.stdout)] == [["250ms", "250ms"], ["250ms", "500ms"]]


def test_max_elapsed_ends_the_table_where_the_next_wait_would_pass_it(run):
    result = run("schedule", "--initial", "1s", "--multiplier", "2", "--jitter", "none", "--max-attempts", "0",
                 "--max-elapsed", "10s")
    # 1 + 2 + 4 = 7s; the next wait, 8s, would end at 15s.
    assert [row[2] for row in table_rows(result.stdout)] == ["1s", "3s", "7s"]
    assert "retry 4's wait would end past max_elapsed 10s" in result.stdout
    assert "worst-case total wait: 10s (max_elapsed)" in result.stdout


def test_unlimited_attempts_show_the_waits_up_to_the_cap_and_an_unbounded_total(run):
    result = run("schedule", "--initial", "1s", "--cap", "5s", "--jitter", "none", "--max-attempts", "0")
    assert [row[1] for row in table_rows(result.stdout)] == ["1s", "2s", "4s", "5s"]
    assert "worst-case total wait: unbounded" in result.stdout


def test_with_jitter_the_table_has_min_percentiles_max_and_totals(run):
    result = run("schedule", "--initial", "100ms", "--cap", "1s", "--jitter", "full", "--max-attempts", "3")
    header = next(line for line in result.stdout.splitlines() if line.startswith("retry"))
    assert header.split() == ["retry", "min", "p50", "p95", "max", "total", "p50", "total", "p95", "total", "max"]
    rows = table_rows(result.stdout)
    assert [(row[1], row[4], row[7]) for row in rows] == [("0s", "100ms", "100ms"), ("0s", "200ms", "300ms")]
    assert "worst-case total wait: 300ms" in result.stdout


def schedule_json(run, *policy):
    result = run("schedule", "--json", *policy)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("jitter, low, high", [
    ("full", lambda base: 0, lambda base: base),
    ("equal", lambda base: base // 2, lambda base: base),
    ("randomization", lambda base: base // 2, lambda base: min(base * 3 // 2, 1000 * MS)),
])
def test_json_bounds_are_exact_and_percentiles_sit_where_the_uniform_draw_puts_them(run, jitter, low, high):
    data = schedule_json(run, "--initial", "100ms", "--cap", "1s", "--jitter", jitter,
                         "--randomization-factor", "0.5", "--max-attempts", "6")
    bases = [100 * MS, 200 * MS, 400 * MS, 800 * MS, 1000 * MS]
    retries = data["retries"]
    assert [r["retry"] for r in retries] == [1, 2, 3, 4, 5]
    running_max = 0
    for row, base in zip(retries, bases):
        lo, hi = low(base), high(base)
        assert (row["min_ns"], row["max_ns"]) == (lo, hi)
        assert row["p50_ns"] == pytest.approx(lo + 0.50 * (hi - lo), rel=0.03)
        assert row["p95_ns"] == pytest.approx(lo + 0.95 * (hi - lo), rel=0.03)
        running_max += hi
        assert row["total_max_ns"] == running_max
    assert data["worst_case_total_ns"] == running_max
    assert data["jittered"] is True and data["max_retries"] == 5 and data["end"] == "max_attempts"


def test_json_decorrelated_draws_lie_between_initial_and_the_growing_envelope(run):
    data = schedule_json(run, "--kind", "decorrelated", "--initial", "100ms", "--multiplier", "3", "--cap", "2s",
                         "--max-attempts", "5")
    # U(initial, initial * 3^(n+1)), capped: 300ms, 900ms, 2.7s -> 2s, 2s.
    assert [(r["min_ns"], r["max_ns"]) for r in data["retries"]] == [
        (100 * MS, 300 * MS), (100 * MS, 900 * MS), (100 * MS, 2000 * MS), (100 * MS, 2000 * MS)]


def test_json_reports_the_policy_as_applied(run):
    data = schedule_json(run, "--initial", "250ms", "--multiplier", "1.5", "--jitter", "none", "--seed", "42",
                         "--max-elapsed", "1m")
    assert data["policy"] == {
        "kind": "exponential", "initial_ns": 250 * MS, "multiplier": 1.5, "increment_ns": 0,
        "cap_ns": 60_000 * MS, "jitter": "none", "randomization_factor": 0.5, "max_attempts": 0,
        "max_elapsed_ns": 60_000 * MS, "seed": 42, "stop_when": "any"}  # max_elapsed is the one stop given
    assert data["jittered"] is False


def test_the_same_options_print_the_same_percentiles_and_a_seed_changes_only_those(run):
    policy = ["--initial", "100ms", "--max-attempts", "4"]
    first, again = schedule_json(run, *policy), schedule_json(run, *policy)
    assert first == again
    reseeded = schedule_json(run, *policy, "--seed", "7")
    assert [r["max_ns"] for r in reseeded["retries"]] == [r["max_ns"] for r in first["retries"]]
    assert [r["p50_ns"] for r in reseeded["retries"]] != [r["p50_ns"] for r in first["retries"]]


def test_json_has_no_total_for_unlimited_attempts(run):
    data = schedule_json(run, "--max-attempts", "0", "--cap", "1s")
    assert data["max_retries"] is None and data["worst_case_total_ns"] is None
    assert data["end"] == "unlimited"
    assert data["retries"][-1]["max_ns"] == 1000 * MS


def parse_svg(path):
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg"
    return root


def test_plot_writes_a_well_formed_svg_with_one_group_per_retry(run, tmp_path):
    plot = tmp_path / "plot.svg"
    result = run("schedule", "--initial", "100ms", "--max-attempts", "5", "--plot", str(plot))
    assert result.returncode == 0
    groups = [g for g in parse_svg(plot).iter(SVG + "g") if g.get("class") == "retry"]
    assert [g.find(SVG + "title").text.split(":")[0] for g in groups] == ["retry 1", "retry 2", "retry 3",
                                                                          "retry 4"]
    assert all(g.find(SVG + "path") is not None for g in groups)  # jittered: a distribution's outline


def test_plot_without_jitter_draws_one_mark_per_retry(run, tmp_path):
    plot = tmp_path / "plot.svg"
    assert run("schedule", "--jitter", "none", "--max-attempts", "3", "--plot", str(plot)).returncode == 0
    groups = [g for g in parse_svg(plot).iter(SVG + "g") if g.get("class") == "retry"]
    assert len(groups) == 2
    assert all(g.find(SVG + "path") is None and len(g.findall(SVG + "line")) == 1 for g in groups)


def test_plot_to_an_unwritable_path_fails_with_the_reason(run, tmp_path):
    result = run("schedule", "--plot", str(tmp_path / "missing-dir" / "plot.svg"))
    assert result.returncode == 125
    assert "No such file or directory" in result.stderr
