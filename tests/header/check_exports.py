#!/usr/bin/env python3
"""The functions backoff.h declares and the symbols libbackoff.so exports are the same set.

Usage: check_exports.py HEADER LIBRARY [PROTOTYPES]

With PROTOTYPES (tests/header/header_prototypes.h), also fails on a declared function that file does not
pin to its prototype, so the C and C++ header tests cover every function.

Fails on a function declared BACKOFF_API but not exported (a caller would fail to link), a symbol exported
but not declared (an accidental ABI promise), an exported symbol outside the backoff_ namespace, a symbol
in the wrong tier (a function declared inside `#ifdef BACKOFF_EXPERIMENTAL` must carry the symbol version
LIBBACKOFF_EXPERIMENTAL_0 and every other one LIBBACKOFF_0, as cmake/libbackoff.map assigns them), or a
SONAME other than libbackoff.so.<BACKOFF_VERSION_MAJOR>.
"""
import re
import subprocess
import sys

# The version nodes the linker version script (cmake/libbackoff.map) defines: the stable tier and the
# experimental one. They are exported as symbols of their own, not functions.
STABLE_NODE = "LIBBACKOFF_0"
EXPERIMENTAL_NODE = "LIBBACKOFF_EXPERIMENTAL_0"
EXPERIMENTAL_BLOCK = re.compile(r"^#ifdef BACKOFF_EXPERIMENTAL\b(.*?)^#endif /\* BACKOFF_EXPERIMENTAL \*/",
                                re.S | re.M)


def declared_functions(header_text):
    """Names of the functions declared with BACKOFF_API, outside comments and preprocessor lines."""
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    return set(re.findall(r"\bBACKOFF_API\b[^;{(]*?\b(\w+)\s*\(", text))


def experimental_functions(header_text):
    """Names of the functions declared inside the header's BACKOFF_EXPERIMENTAL blocks."""
    return set().union(*(declared_functions(block) for block in EXPERIMENTAL_BLOCK.findall(header_text)))


def header_major_version(header_text):
    match = re.search(r"^#define BACKOFF_VERSION_MAJOR (\d+)", header_text, flags=re.M)
    if not match:
        sys.exit("check_exports.py: no BACKOFF_VERSION_MAJOR in the header")
    return match.group(1)


def exported_symbols(library):
    """Defined dynamic symbols, each with its symbol version ("backoff_stop@@LIBBACKOFF_0" gives
    backoff_stop: LIBBACKOFF_0)."""
    output = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True,
                            text=True).stdout
    versions = {}
    for line in output.splitlines():
        if line.strip():
            name, _, version = line.split()[-1].partition("@")
            versions[name] = version.lstrip("@")
    for node in (STABLE_NODE, EXPERIMENTAL_NODE):
        versions.pop(node, None)
    return versions


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
    experimental = experimental_functions(header_text)
    versions = exported_symbols(library)
    exported = set(versions)
    problems = []
    if not declared:
        problems.append(f"no BACKOFF_API function found in {header}")
    if not exported:
        problems.append(f"no symbol exported by {library}")
    problems += [f"declared but not exported: {name}" for name in sorted(declared - exported)]
    problems += [f"exported but not declared: {name}" for name in sorted(exported - declared)]
    problems += [f"exported outside the backoff_ namespace: {name}"
                 for name in sorted(exported) if not name.startswith("backoff_")]
    problems += [f"in the wrong tier: {name} is {versions[name] or 'unversioned'}, expected "
                 f"{EXPERIMENTAL_NODE if name in experimental else STABLE_NODE}"
                 for name in sorted(declared & exported)
                 if versions[name] != (EXPERIMENTAL_NODE if name in experimental else STABLE_NODE)]
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
    print(f"{len(declared)} functions declared ({len(experimental)} experimental), {len(exported)} exported, "
          f"SONAME {actual_soname}: "
          f"{'FAILED' if problems else 'agree'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
