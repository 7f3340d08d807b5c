#!/usr/bin/env python3
"""Every function backoff.h declares is documented in the same shape.

Usage: check_docs.py HEADER

The doc comment right above each BACKOFF_API declaration must say what the function returns on every
path (`@return`, for every function that returns a status), who may call it from which thread
(`Thread safety:`) and the version it appeared in (`Since:`). Prints each gap and fails if there is one.
"""
import re
import sys

DECLARATION = re.compile(r"(/\*\*(?:(?!\*/).)*\*/)\s*BACKOFF_API\s+([^;(]*?)\b(backoff_\w+)\s*\(", re.S)
UNDOCUMENTED = re.compile(r"\*/\s*BACKOFF_API|^\s*BACKOFF_API", re.M)


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
        found += [(name, item) for item in wanted if item not in comment]
    declared = re.findall(r"\bBACKOFF_API\b[^;(]*?\b(backoff_\w+)\s*\(", header_text)
    found += [(name, "a doc comment") for name in declared if name not in documented]
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        text = file.read()
    problems = gaps(text)
    for name, item in problems:
        print(f"{name}: its doc comment lacks {item}")
    print(f"{len(problems)} gaps: {'FAILED' if problems else 'every function documented'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
