#!/usr/bin/env python3
"""backoff.h's hand-written tables agree with the library's vocabulary.

Usage: check_header_tables.py HEADER LIBRARY

The header keeps its parameter tables (type, default, domain) and its enums as the manual; the library
defines them once (core/include/backoff/vocabulary*.hpp) and hands them out through backoff_param_info()
and backoff_name_of(). This check reads both and fails on any difference: a row whose type, default or
domain is not the library's, a parameter missing from a table, an enumerator without a name in the
library, or a name the library knows that the header's enum lacks.
"""
import ctypes
import re
import sys

FIELDS = {"name": 0, "type": 1, "default": 3, "domain": 4}
# The table each parameter family's rows follow, found by the header line that opens it.
TABLES = {4: "Policy parameters.", 7: "Breaker parameters.", 14: "Retry budget parameters."}


def load(library):
    lib = ctypes.CDLL(library)
    lib.backoff_param_info.restype = ctypes.c_char_p
    lib.backoff_param_info.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.backoff_name_of.restype = ctypes.c_char_p
    lib.backoff_name_of.argtypes = [ctypes.c_int, ctypes.c_int]
    return lib


def text(value):
    return None if value is None else value.decode()


def table_rows(header, opening):
    """The rows of the first markdown table after `opening`, as lists of cells; the header row first."""
    start = header.index(opening)
    rows = []
    for line in header[start:].splitlines()[1:]:
        cells = line.strip().lstrip("*").strip()
        if cells.startswith("|"):
            if not cells.startswith("|--"):
                rows.append([cell.strip() for cell in cells.strip("|").split("|")])
        elif rows:
            break
    return rows


def check_params(header, lib, problems):
    for family, opening in TABLES.items():
        columns, *rows = table_rows(header, opening)
        count = 0
        while lib.backoff_param_info(family, count, 0) is not None:
            count += 1
        if len(rows) != count:
            problems.append(f"{opening} {len(rows)} rows in backoff.h, {count} parameters in the library")
        for param, row in enumerate(rows[:count]):
            cells = dict(zip(columns, row))
            name = text(lib.backoff_param_info(family, param, FIELDS["name"]))
            if name.upper() not in cells["parameter"]:
                problems.append(f"{opening} row {param} is '{cells['parameter']}', the library's is '{name}'")
            for column in ("type", "default", "domain"):
                expected = text(lib.backoff_param_info(family, param, FIELDS[column]))
                if cells.get(column) != expected:
                    problems.append(f"{opening} {name}: {column} is '{cells.get(column)}' in backoff.h, "
                                    f"'{expected}' in the library")


def check_enums(header, lib, problems):
    families = re.findall(r"\| (BACKOFF_ENUM_\w+) +\| (backoff_\w+) +\|", header)
    if len(families) < 20:
        problems.append(f"the vocabulary table lists {len(families)} families")
    for family_value, (family, c_type) in enumerate(families):
        body = re.search(r"typedef enum " + c_type + r" \{(.*?)\} " + c_type + ";", header, flags=re.S)
        if body is None:
            problems.append(f"{family}: no typedef enum {c_type} in backoff.h")
            continue
        body = re.sub(r"/\*.*?\*/", "", body.group(1), flags=re.S)
        enumerators = {name: int(value) for name, value in re.findall(r"(BACKOFF_\w+) = (-?\d+)", body)}
        library = {}
        for value in range(-20, 64):
            name = text(lib.backoff_name_of(family_value, value))
            if name is not None:
                library[value] = name
        header_values = {value for value in enumerators.values() if value != -1 or family == "BACKOFF_ENUM_STATUS"}
        if header_values != set(library):
            problems.append(f"{c_type}: values {sorted(header_values)} in backoff.h, {sorted(library)} in the "
                            "library")
        if family == "BACKOFF_ENUM_STATUS":
            continue  # named after their meaning: BACKOFF_EINVAL is "invalid_value"
        for enumerator, value in enumerators.items():
            if value in library and library[value].upper() not in enumerator:
                problems.append(f"{enumerator}: the library calls it '{library[value]}'")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        header = file.read()
    lib = load(sys.argv[2])
    problems = []
    check_params(header, lib, problems)
    check_enums(header, lib, problems)
    for problem in problems:
        print(problem)
    print("FAILED" if problems else "backoff.h's tables match the library")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
