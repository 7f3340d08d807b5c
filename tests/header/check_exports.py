#!/usr/bin/env python3
"""The functions backoff.h declares and the symbols libbackoff.so exports are the same set.

Usage: check_exports.py HEADER LIBRARY [PROTOTYPES]

With PROTOTYPES (tests/header/header_prototypes.h), also fails on a declared function that file does not
pin to its prototype, so the C and C++ header tests cover every function.

Fails on a function declared BACKOFF_API but not exported (a caller would fail to link), a symbol exported
but not declared (an accidental ABI promise), an exported symbol outside the backoff_ namespace, or a
SONAME other than libbackoff.so.<BACKOFF_VERSION_MAJOR>.
"""
import re
import subprocess
import sys

# The version node the linker version script (cmake/libbackoff.map) defines: not a function.
VERSION_NODE = "LIBBACKOFF_0"


def declared_functions(header_text):
    """Names of the functions declared with BACKOFF_API, outside comments and preprocessor lines."""
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    return set(re.findall(r"\bBACKOFF_API\b[^;{(]*?\b(\w+)\s*\(", text))


def header_major_version(header_text):
    match = re.search(r"^#define BACKOFF_VERSION_MAJOR (\d+)", header_text, flags=re.M)
    if not match:
        sys.exit("check_exports.py: no BACKOFF_VERSION_MAJOR in the header")
    return match.group(1)


def exported_symbols(library):
    """Defined dynamic symbols, without their version suffix (backoff_stop@@LIBBACKOFF_0)."""
    output = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True,
                            text=True).stdout
    names = {line.split()[-1].split("@")[0] for line in output.splitlines() if line.strip()}
    return names - {VERSION_NODE}


def soname(library):
    output = subprocess.run(["readelf", "-d", library], check=True, capture_output=True, text=True).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", output)
    return match.group(1) if match else None


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    header, library = sys.argv[1:3]
    with open(header, encoding="utf-8") as file:
        header_text = file.read()

    declared = declared_functions(header_text)
    exported = exported_symbols(library)
    problems = []
    if not declared:
        problems.append(f"no BACKOFF_API function found in {header}")
    if not exported:
        problems.append(f"no symbol exported by {library}")
    problems += [f"declared but not exported: {name}" for name in sorted(declared - exported)]
    problems += [f"exported but not declared: {name}" for name in sorted(exported - declared)]
    problems += [f"exported outside the backoff_ namespace: {name}"
                 for name in sorted(exported) if not name.startswith("backoff_")]
    if len(sys.argv) == 4:
        with open(sys.argv[3], encoding="utf-8") as file:
            pinned = set(re.findall(r"=\s*(backoff_\w+);", file.read()))
        problems += [f"declared but not pinned in {sys.argv[3]}: {name}" for name in sorted(declared - pinned)]
    expected_soname = f"libbackoff.so.{header_major_version(header_text)}"
    actual_soname = soname(library)
    if actual_soname != expected_soname:
        problems.append(f"SONAME is {actual_soname}, expected {expected_soname}")

    for problem in problems:
        print(problem)
    print(f"{len(declared)} functions declared, {len(exported)} exported, SONAME {actual_soname}: "
          f"{'FAILED' if problems else 'agree'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
