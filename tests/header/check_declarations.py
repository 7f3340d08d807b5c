#!/usr/bin/env python3
"""Every function backoff.h declares follows the header's two conventions.

Usage: check_declarations.py HEADER

1. Out-parameters first (libgit2's rule): a parameter named `out` or `out_<what>` never follows one that
   is not an out-parameter.
2. One doc shape: the doc comment right above each BACKOFF_API declaration says what the function returns
   on every path (`@return`, for every function that returns a status), who may call it from which thread
   (`Thread safety:`) and the version it appeared in (`Since:`).
Prints each gap and fails if there is one.
"""
import re
import sys

DECLARATION = re.compile(r"(/\*\*(?:(?!\*/).)*\*/)\s*BACKOFF_API\s+([^;(]*?)\b(backoff_\w+)\s*\(", re.S)
PARAMETERS = re.compile(r"\bBACKOFF_API\b[^;(]*?\b(backoff_\w+)\s*\(([^)]*)\)\s*;")


def misplaced_outputs(header_text):
    """(function, out-parameter) for every out-parameter that follows an input."""
    found = []
    for name, parameters in PARAMETERS.findall(re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)):
        names = [re.findall(r"\w+", parameter)[-1] for parameter in parameters.split(",")]
        is_output = [n == "out" or n.startswith("out_") for n in names]
        first_input = is_output.index(False) if False in is_output else len(names)
        found += [(name, f"out-parameter {n} after an input") for n, out in zip(names[first_input:],
                                                                                is_output[first_input:]) if out]
    return found


def gaps(header_text):
    """(function, what its doc comment lacks) for every declaration."""
    found = []
    documented = set()
    for match in DECLARATION.finditer(header_text):
        comment, return_type, name = match.groups()
        documented.add(name)
        wanted = ["Thread safety:", "Since:"]
        if return_type.strip() == "int":
            wanted.append("@return")
        found += [(name, f"its doc comment lacks {item}") for item in wanted if item not in comment]
    declared = re.findall(r"\bBACKOFF_API\b[^;(]*?\b(backoff_\w+)\s*\(", header_text)
    found += [(name, "it has no doc comment") for name in declared if name not in documented]
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        text = file.read()
    problems = misplaced_outputs(text) + gaps(text)
    for name, item in problems:
        print(f"{name}: {item}")
    print(f"{len(problems)} problems: {'FAILED' if problems else 'every declaration follows the conventions'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
