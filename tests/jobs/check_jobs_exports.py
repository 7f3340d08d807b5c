#!/usr/bin/env python3
"""The functions backoff_jobs.h declares and the symbols libbackoff_jobs.so exports are the same set.

Usage: check_jobs_exports.py HEADER LIBRARY

Fails on a function declared BACKOFF_JOBS_API but not exported (a caller would fail to link), a symbol
exported but not declared (an accidental ABI promise), a symbol outside backoff_jobs_ or outside the
LIBBACKOFF_JOBS_0 version node, or a SONAME other than libbackoff_jobs.so.<major>.
"""
import re
import subprocess
import sys


def declared(header_text):
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    return set(re.findall(r"\bBACKOFF_JOBS_API\b[^;{(]*?\b(\w+)\s*\(", text))


def exported(library):
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtWi":
            name, _, version = parts[2].partition("@@")
            symbols[name] = version
    return symbols


def main(header, library):
    problems = []
    functions = declared(open(header, encoding="utf-8").read())
    symbols = exported(library)
    for name in sorted(functions - symbols.keys()):
        problems.append(f"declared but not exported: {name}")
    for name in sorted(symbols.keys() - functions):
        problems.append(f"exported but not declared: {name}")
    for name, version in sorted(symbols.items()):
        if not name.startswith("backoff_jobs_"):
            problems.append(f"exported outside backoff_jobs_: {name}")
        if version != "LIBBACKOFF_JOBS_0":
            problems.append(f"{name} has version '{version}', expected LIBBACKOFF_JOBS_0")
    soname = re.search(r"SONAME\s+(\S+)", subprocess.run(["objdump", "-p", library], check=True, capture_output=True,
                                                        text=True).stdout)
    if not soname or not re.fullmatch(r"libbackoff_jobs\.so\.\d+", soname.group(1)):
        problems.append(f"SONAME is {soname.group(1) if soname else 'missing'}, expected libbackoff_jobs.so.<major>")
    if not functions:
        problems.append("no declarations found: the pattern no longer matches the header")
    for problem in problems:
        print(problem)
    print(f"{len(functions)} functions declared, {len(symbols)} exported")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
