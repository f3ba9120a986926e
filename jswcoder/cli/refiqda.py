"""``jswcoder qdpx`` and ``jswcoder qdc``: exchange with other tools through REFI-QDA (:mod:`jswcoder.refiqda`).

One small handler per action. :mod:`jswcoder.refiqda` is imported only when one of them runs, and the
file type is checked before the project is opened, so a wrong suffix costs no passphrase.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import sys

from jswcoder.cli.commands import opened, show_recovery_key
from jswcoder.cli.indirect import pointing_to_review

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
    from jswcoder.refiqda.profiles import STANDARD, profile

    QDPX.check(args.out)
    target = profile(args.target)
    with opened(args) as project, pointing_to_review(args.project):
        originals = args.originals and project.team.role() != "lead"  # a lead's is anonymised already
        if originals:
            print(ORIGINALS_WARNING, file=sys.stderr)
        written = export_project(
            project, args.out, originals=args.originals, attributes=args.attribute, profile=target
        )
    for warning in written.warnings:
        print(f"jswcoder: warning: {warning}", file=sys.stderr)
    made = "" if target is STANDARD else f" for {target.tool}"
    print(f"wrote the REFI-QDA project{made} to {written.path} ({_how(written.anonymised, originals)})")
    return 0


def qdc_export(args: argparse.Namespace) -> int:
    from jswcoder.refiqda.export_codebook import QDC, export_codebook

    QDC.check(args.out)
    with opened(args) as project:
        written = export_codebook(project, args.out)
    print(f"wrote the REFI-QDA codebook to {written.path} ({_how(written.anonymised, False)})")
    return 0


def _print_report(report_lines: list[str]) -> None:
    for line in report_lines:
        print(line)


def qdpx_import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from jswcoder.cli import secrets
    from jswcoder.refiqda.import_project import import_qdpx

    passphrase = secrets.choose((args.name or "", args.coder))
    project, recovery_key, report = import_qdpx(
        Path(args.source),
        Path(args.project),
        coder=args.coder,
        passphrase=passphrase,
        name=args.name,
        use_keychain=not args.no_keychain,
    )
    with project:
        if args.json:
            data = {"project": str(project.paths.folder), "name": project.name, "recovery_key": recovery_key}
            print(json.dumps({**data, "report": report.as_dict()}, ensure_ascii=False, indent=2))
            return 0
        print(f"Created the encrypted project {project.name!r} in {project.paths.folder}")
        _print_report(report.lines())
        show_recovery_key(project, recovery_key)
    return 0


def qdc_import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from jswcoder.refiqda.import_codebook import import_qdc

    with opened(args) as project:
        report = import_qdc(project, Path(args.source))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report.lines())
    return 0
