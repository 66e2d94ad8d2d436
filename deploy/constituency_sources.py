"""Prints a [[sources]] table per constituency, for deploy/uk.toml.

Usage: python deploy/constituency_sources.py CONSTITUENCIES_CSV [--interval 2m] >> deploy/uk.toml

The CSV is the House of Commons Library list (code first, name second, a header row). Only the code
and the name are used: the code makes the BBC page URL, the name the source name.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys

TEMPLATE = """
[[sources]]
name = "bbc-{slug}"
url = "https://www.bbc.co.uk/news/election/2024/uk/constituencies/{code}"
interval = "{interval}"
min_interval = "30s"
max_interval = "10m"
election = "{election}"
max_pages = 1
schedule = {{active_from = "23:00", fast_from = "00:30", fast_until = "09:00"}}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--interval", default="2m")
    parser.add_argument("--election", default="parl.2024-07-04")
    args = parser.parse_args()
    with open(args.csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    for row in rows:
        code, name = row[0].strip(), row[1].strip()
        if not re.fullmatch(r"[EWSN]\d{8}", code):
            print(f"skipping a row without a GSS code: {row[:2]}", file=sys.stderr)
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        sys.stdout.write(TEMPLATE.format(slug=slug, code=code, interval=args.interval, election=args.election))
    return 0


if __name__ == "__main__":
    sys.exit(main())
