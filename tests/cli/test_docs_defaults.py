"""docs/cli.md's option tables state the defaults the command really has.

The library's defaults (backoff_param_info) reach the help text through the command, and so do the
command's own (--max-attempts, --kill-after). docs/cli.md keeps them as its hand-written manual; these
checks fail the moment one of them drifts from what `backoff ... --help` prints.
"""
import re
from pathlib import Path

DOCS_TEXT = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()


def help_defaults(run, subcommand):
    """{option: default} for every option whose help line ends in "(default X)"."""
    result = run(subcommand, "--help")
    assert result.returncode == 0, result.stderr
    return dict(re.findall(r"^  (--[a-z-]+) .*\(default ([^)\s]+)\)$", result.stdout, flags=re.M))


def documented_defaults(docs_text):
    """{option: default} from docs/cli.md: the policy table's default column (| `--kind` | values |
    `exponential` | meaning |) and the "(default `X`)" notes of the retry table."""
    policy = re.findall(r"^\| `(--[a-z-]+)` \| [^|]+ \| ([^|]+) \|", docs_text, flags=re.M)
    noted = re.findall(r"^\| `(--[a-z-]+) [A-Z]+` \|.*\(default `([^`]+)`\)", docs_text, flags=re.M)
    return {option: cell.strip().strip("*`") for option, cell in policy + noted}


def test_every_default_the_help_prints_is_the_one_the_docs_state(run):
    printed = {**help_defaults(run, "schedule"), **help_defaults(run, "retry")}
    assert documented_defaults(DOCS_TEXT) == printed


def test_a_misstated_default_in_the_docs_is_found(run):
    drifted = DOCS_TEXT.replace("| `--initial` | duration | `100ms` |", "| `--initial` | duration | `200ms` |")
    assert drifted != DOCS_TEXT, "the --initial row moved: update this test"
    documented = documented_defaults(drifted)
    printed = help_defaults(run, "schedule")
    assert [option for option in printed if documented.get(option) != printed[option]] == ["--initial"]
