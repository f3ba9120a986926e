"""The Windows portable zip: the PyInstaller bundle in ``jswcoder-VERSION-windows-portable/jswcoder/``
beside a README.txt. Used by build-on-linux.sh (Linux, under Wine) and build.ps1 (Windows).

    python packaging/windows/portable_zip.py BUNDLE VERSION OUT.zip
"""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

README = Path(__file__).resolve().parent / "README-portable.txt"


def write(bundle: Path, version: str, out: Path) -> None:
    top = f"jswcoder-{version}-windows-portable"
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(f"{top}/README.txt", README.read_text(encoding="utf-8").replace("\n", "\r\n"))
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/jswcoder/{path.relative_to(bundle).as_posix()}")
    os.replace(partial, out)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    write(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
