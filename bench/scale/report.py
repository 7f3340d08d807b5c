"""Prints bench/scale/run's rows ("measure<TAB>impl<TAB>n<TAB>value") as one Markdown table: a line per
measure and implementation, a column per n."""

from __future__ import annotations

import sys


def main(path: str) -> None:
    table: dict[tuple[str, str], dict[str, str]] = {}
    sizes: list[str] = []
    with open(path) as rows:
        for line in rows:
            measure, impl, n, value = line.rstrip("\n").split("\t")
            table.setdefault((measure, impl), {})[n] = value
            if n not in sizes:
                sizes.append(n)
    sizes.sort(key=int)
    print("| measure | implementation | " + " | ".join(f"n = {int(n):,}" for n in sizes) + " |")
    print("|---|---|" + "---:|" * len(sizes))
    for (measure, impl), values in sorted(table.items()):
        print(f"| {measure} | {impl} | " + " | ".join(values.get(n, "") for n in sizes) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
