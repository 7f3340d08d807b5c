"""`backoff schedule` shows what `backoff retry` waits: for decorrelated policies, the chain of draws a state
walks (each wait drawn from the one before), not the stateless envelope; the plot's axis, cap and subtitle;
saturated totals in JSON."""
import json
import re
import statistics
import xml.etree.ElementTree as ET

import pytest

US = 1_000
SVG = "{http://www.w3.org/2000/svg}"
# Small waits, so that real `backoff retry` runs are quick.
DECORRELATED = ["--kind", "decorrelated", "--initial", "5us", "--multiplier", "3", "--cap", "2ms"]
UNITS_NS = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000}


def retry_waits(run, seed, attempts):
    """The waits `backoff retry --seed SEED` makes, in ns, for a command that always fails: one walk of the
    chain, done by the library."""
    result = run("retry", *DECORRELATED, "--max-attempts", str(attempts), "--seed", str(seed), "--", "false")
    waits = re.findall(r"retrying in ([0-9.]+)(ns|us|ms|s)\b", result.stderr)
    assert len(waits) == attempts - 1, result.stderr
    return [float(value) * UNITS_NS[unit] for value, unit in waits]


def schedule_json(run, *policy):
    result = run("schedule", "--json", *policy)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_decorrelated_percentiles_are_those_of_the_waits_retry_makes(run):
    walks = [retry_waits(run, seed, attempts=6) for seed in range(1000, 1200)]
    data = schedule_json(run, *DECORRELATED, "--max-attempts", "6", "--seed", "1000")
    assert data["form"] == "chain"
    for n, row in enumerate(data["retries"]):
        waits = sorted(walk[n] for walk in walks)
        totals = sorted(sum(walk[:n + 1]) for walk in walks)
        # 200 walks against the schedule's 10000 (which include these 200): a median within 20%.
        assert statistics.median(waits) == pytest.approx(row["p50_ns"], rel=0.2)
        assert statistics.median(totals) == pytest.approx(row["total_p50_ns"], rel=0.2)
        assert row["min_ns"] <= waits[0] and waits[-1] <= row["max_ns"] + 10  # bounds hold every walk


def test_decorrelated_schedule_is_not_the_stateless_envelope(run):
    # The stateless delay of retry 5 is drawn from [initial, min(cap, initial * 3^5)]; the chain rarely
    # climbs that far, so its median is far below the envelope's middle.
    data = schedule_json(run, *DECORRELATED, "--max-attempts", "6")
    row = data["retries"][4]
    envelope_middle = (row["min_ns"] + row["max_ns"]) / 2
    assert row["p50_ns"] < envelope_middle / 2


def test_the_table_says_which_form_its_percentiles_describe(run):
    chain = run("schedule", *DECORRELATED).stdout
    assert "10000 walks\nof the decorrelated chain" in chain and "(seeds 0 to 9999, as --seed)" in chain
    stateless = run("schedule", "--jitter", "full").stdout
    assert "what `backoff retry` waits: the stateless\ndelay for 10000 keys with seed 0" in stateless
    assert schedule_json(run, "--jitter", "full")["form"] == "stateless"


def test_json_marks_totals_that_saturated(run):
    data = schedule_json(run, "--initial", "1000h", "--multiplier", "10", "--cap", "2000000h", "--jitter", "full",
                         "--max-attempts", "7")
    last = data["retries"][-1]
    assert last["total_max_ns"] == 2**63 - 1 and "total_max_ns" in last["saturated"]
    assert data["retries"][0]["saturated"] == []
    assert data["worst_case_total_saturated"] is True
    small = schedule_json(run, "--max-attempts", "3")
    assert small["worst_case_total_saturated"] is False
    assert all(row["saturated"] == [] for row in small["retries"])


def plot(run, tmp_path, *policy):
    path = tmp_path / "plot.svg"
    result = run("schedule", *policy, "--plot", str(path))
    assert result.returncode == 0, result.stderr
    return ET.parse(path).getroot()


def texts(root):
    return [element.text or "" for element in root.iter(SVG + "text")]


def test_plot_uses_a_log_axis_when_waits_span_more_than_two_decades(run, tmp_path):
    # 1ms doubling to 1.024s: three decades. Each power of ten is a gridline, and retry 1 is well off the floor.
    root = plot(run, tmp_path, "--initial", "1ms", "--cap", "2s", "--jitter", "none", "--max-attempts", "12")
    labels = texts(root)
    assert "wait (log scale)" in labels
    assert {"100us", "1ms", "10ms", "100ms", "1s"} <= set(labels)
    first = next(g for g in root.iter(SVG + "g") if g.get("class") == "retry")
    assert float(first.find(SVG + "line").get("y1")) < 380 - 50


def test_plot_keeps_a_linear_axis_for_waits_within_two_decades(run, tmp_path):
    root = plot(run, tmp_path, "--initial", "100ms", "--cap", "1s", "--jitter", "none", "--max-attempts", "5")
    assert "wait" in texts(root) and "wait (log scale)" not in texts(root)


def test_plot_draws_a_line_at_the_cap(run, tmp_path):
    root = plot(run, tmp_path, "--initial", "100ms", "--cap", "1s", "--jitter", "none", "--max-attempts", "8")
    cap = [g for g in root.iter(SVG + "g") if g.get("class") == "cap"]
    assert len(cap) == 1 and cap[0].find(SVG + "text").text == "cap 1s"
    # The capped retries' marks sit on the cap line.
    last = [g for g in root.iter(SVG + "g") if g.get("class") == "retry"][-1]
    assert last.find(SVG + "line").get("y1") == cap[0].find(SVG + "line").get("y1")


def test_plot_says_so_when_the_cap_is_far_above_the_waits(run, tmp_path):
    root = plot(run, tmp_path, "--initial", "100ms", "--cap", "60s", "--jitter", "none", "--max-attempts", "3")
    assert not [g for g in root.iter(SVG + "g") if g.get("class") == "cap"]
    assert any("cap 1m is above the plot" in text for text in texts(root))


def test_plot_subtitle_mentions_draws_only_for_jittered_policies(run, tmp_path):
    plain = plot(run, tmp_path, "--jitter", "none", "--max-attempts", "4")
    assert not any("draws" in text for text in texts(plain))
    assert any("no jitter" in text for text in texts(plain))
    jittered = plot(run, tmp_path, "--jitter", "full", "--max-attempts", "4")
    assert any("shape from 10000 draws" in text for text in texts(jittered))
    chain = plot(run, tmp_path, *DECORRELATED, "--max-attempts", "4")
    assert any("walks of the decorrelated chain" in text for text in texts(chain))
