"""``jswcoder qdpx`` and ``jswcoder qdc``: exchange with other tools through REFI-QDA (:mod:`jswcoder.refiqda`).

One small handler per action. :mod:`jswcoder.refiqda` is imported only when one of them runs, and the
file type is checked before the project is opened, so a wrong suffix costs no passphrase.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import sys

from jswcoder.cli.commands import opened

ORIGINALS_WARNING = (
    "jswcoder: warning: exporting the original transcripts, NOT anonymised; the file identifies people. "
    "Keep it as securely as the project."
)


def _how(anonymised: bool, originals: bool) -> str:
    if anonymised:
        return "anonymised with the register"
    return "originals, not anonymised" if originals else "a team project's: as merged"


def qdpx_export(args: argparse.Namespace) -> int:
    from jswcoder.refiqda.export_project import QDPX, export_project

    QDPX.check(args.out)
    with opened(args) as project:
        if args.originals and project.team.role() != "lead":
            print(ORIGINALS_WARNING, file=sys.stderr)
        written = export_project(project, args.out, originals=args.originals)
    print(f"wrote the REFI-QDA project to {written.path} ({_how(written.anonymised, args.originals)})")
    return 0


def qdc_export(args: argparse.Namespace) -> int:
    from jswcoder.refiqda.export_codebook import QDC, export_codebook

    QDC.check(args.out)
    with opened(args) as project:
        written = export_codebook(project, args.out)
    print(f"wrote the REFI-QDA codebook to {written.path} ({_how(written.anonymised, False)})")
    return 0
