#!/usr/bin/env python3
"""Copy one file, or every file under one folder, out of a zip/wheel or tar.gz/tgz.

Usage: unpack.py <archive> <member> <out>

A <member> ending in "/" is a folder: its files (and subfolders) go into the directory <out>.
Otherwise <member> is one file, written to <out>. Stdlib only, because `unzip` may be absent.
The caller writes to a temporary <out> and renames it when this succeeds.
"""

import os
import shutil
import sys
import tarfile
import zipfile


def entries(archive):
    """Yields (name, opener) for every regular file of the archive."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir():
                    yield info.filename, lambda info=info: z.open(info)
    else:
        with tarfile.open(archive, "r:*") as t:
            for info in t:
                if info.isfile():
                    yield info.name, lambda info=info: t.extractfile(info)


def unpack(archive, member, out):
    found = 0
    for name, open_entry in entries(archive):
        if member.endswith("/"):
            if not name.startswith(member):
                continue
            relative = name[len(member):]
            # Refuse names that would climb out of <out> (a tampered archive).
            if relative.startswith("/") or ".." in relative.split("/"):
                raise SystemExit(f"{archive}: unsafe member name {name!r}")
            target = os.path.join(out, relative)
        elif name == member:
            target = out
        else:
            continue
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        with open_entry() as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        found += 1
    if not found:
        raise SystemExit(f"{archive} has no {member!r}")
    print(f"{found} file(s) from {os.path.basename(archive)}:{member}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.strip().splitlines()[2])
    unpack(*sys.argv[1:])
