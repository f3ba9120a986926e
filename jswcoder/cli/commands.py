"""What each subcommand does: parse nothing, decide nothing, call the service API and print."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from jswcoder import demo as demo_project
from jswcoder import templates
from jswcoder.cli import secrets
from jswcoder.display import display_available
from jswcoder.errors import InvalidInput, JswError
from jswcoder.model import category_name
from jswcoder.project import PassphraseRequired, Project, ProjectPaths
from jswcoder.services.egress import LeaksFound
from jswcoder.services.register import EXPORT_WARNING
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import exchange, keys, lead_sync, membership, teamfile
from jswcoder.team.membership import CodebookUpdate, Joined
from jswcoder.team.merge_report import MergeReport
from jswcoder.team.starting import join_as_new_project


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _notice(message: str) -> None:
    print(f"jswcoder: {message}", file=sys.stderr)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Project]:
    """Open the project named on the command line: keychain, JSWCODER_PASSPHRASE, or a prompt."""
    try:
        project = Project.open(
            args.project,
            passphrase=secrets.from_environment(secrets.PASSPHRASE),
            ask_passphrase=secrets.asker("Passphrase: "),
            use_keychain=not args.no_keychain,
        )
    except PassphraseRequired as error:
        raise JswError(f"{error}; run in a terminal or set {secrets.PASSPHRASE}") from None
    try:
        yield project
    finally:
        project.close()


def init(args: argparse.Namespace) -> int:
    passphrase = secrets.choose((args.name, args.coder))
    project, recovery_key = Project.create(
        args.project,
        name=args.name,
        coder=args.coder,
        passphrase=passphrase,
        use_keychain=not args.no_keychain,
    )
    with project:
        print(f"Created the encrypted project {project.name!r} in {project.paths.folder}")
        show_recovery_key(project, recovery_key)
    return 0


def show_recovery_key(project: Project, recovery_key: str) -> None:
    """Print a new project's recovery key, once, and any notice about the keychain."""
    print()
    print("Recovery key (shown only this once):")
    print(f"    {recovery_key}")
    print("Write it down and keep it somewhere safe, apart from this computer. It opens the project")
    print("if the passphrase is forgotten: jswcoder passwd PROJECT --recovery")
    for notice in project.notices:
        _notice(notice)


def import_files(args: argparse.Namespace) -> int:
    fields = ParticipantFields(
        participant_group=args.group,
        interview_number=args.interview,
        format=args.format,
        mode=args.mode,
        council_area=args.area,
    )
    with opened(args) as project:
        report = project.transcripts.import_files([Path(f) for f in args.files], fields)
        tied = project.transcription.link_namesakes()  # stamped transcripts beside their recordings
        if args.json:
            _print_json(
                {
                    "imported": [
                        {"uuid": t.uuid, "name": t.name, "source": t.source_name, "length": t.length}
                        for t in report.imported
                    ],
                    "rejected": [{"file": str(r.path), "reason": r.reason} for r in report.rejected],
                    "warnings": report.warnings,
                    "tied_to_recordings": dict(tied),
                }
            )
        else:
            for transcript in report.imported:
                print(
                    f"imported {transcript.source_name} as {transcript.name!r} ({transcript.length:,} characters)"
                )
                for warning in report.warnings.get(transcript.name, []):
                    print(f"    note: {warning}")
            for name, recording in tied:
                print(f"tied {name!r} to the recording {recording!r} by its time stamps")
            for rejected in report.rejected:
                _notice(f"not imported: {rejected}")
    return 1 if report.rejected else 0


def info(args: argparse.Namespace) -> int:
    with opened(args) as project:
        counts = project.counts()
        if args.json:
            _print_json({"name": project.name, "uuid": project.uuid, "coder": project.coder.name, **counts})
            return 0
        print(f"{project.name}  ({project.paths.folder})")
        print(f"coder: {project.coder.name}")
        print("  ".join(f"{key}: {value}" for key, value in counts.items()))
        for transcript in project.transcripts.all():
            participant = project.transcripts.participant(transcript)
            label = (
                participant.attribution
                if participant and participant.attribution
                else "no participant details"
            )
            print(f"  {transcript.name}  ({label}; {transcript.length:,} characters)")
    return 0


def text(args: argparse.Namespace) -> int:
    with opened(args) as project:
        sys.stdout.write(project.transcripts.text(args.transcript))
    return 0


def codes_add(args: argparse.Namespace) -> int:
    with opened(args) as project:
        code = project.codebook.add(
            args.path,
            colour=args.colour,
            description=args.description,
            origin="emergent" if args.emergent else "preset",
        )
        print(f"added {code.path!r}")
    return 0


def codes_list(args: argparse.Namespace) -> int:
    with opened(args) as project:
        codes = project.codebook.all()
        if args.json:
            _print_json(
                [
                    {
                        "uuid": c.uuid,
                        "name": c.name,
                        "path": c.path,
                        "parent_uuid": c.parent_uuid,
                        "colour": c.colour,
                        "description": c.description,
                        "origin": c.origin,
                    }
                    for c in codes
                ]
            )
            return 0
        if not codes:
            print('no codes yet; add one with: jswcoder codes PROJECT add "Theme/Subtheme"')
        for code in codes:
            depth = code.path.count("/")
            marker = " (emergent)" if code.origin == "emergent" else ""
            print(f"{'    ' * depth}{code.name}{marker}")
    return 0


def codes_merge(args: argparse.Namespace) -> int:
    with opened(args) as project:
        source, target = project.codebook.find(args.source), project.codebook.find(args.target)
        record = project.codebook.merge(source.uuid, target.uuid)
        print(f"merged {source.path!r} into {target.path!r}: {record.codings_moved} codings moved")
    return 0


def code(args: argparse.Namespace) -> int:
    with opened(args) as project:
        coding, new = project.codings.add(args.transcript, args.start, args.end, args.code)
        if args.json:
            _print_json({"uuid": coding.uuid, "new": new, "start": coding.start, "end": coding.end})
        elif new:
            print(f"coded {args.transcript} [{coding.start}:{coding.end}] as {args.code!r}")
        else:
            print(f"already coded: {args.transcript} [{coding.start}:{coding.end}] as {args.code!r}")
    return 0


def codings(args: argparse.Namespace) -> int:
    with opened(args) as project:
        passages = project.codings.passages(args.transcript)
        if args.json:
            _print_json(
                [
                    {
                        "uuid": p.coding.uuid,
                        "transcript": p.transcript,
                        "start": p.coding.start,
                        "end": p.coding.end,
                        "code": p.code_path,
                        "coder": p.coder,
                        "created_at": p.coding.created_at,
                        "text": p.text,
                    }
                    for p in passages
                ]
            )
            return 0
        for p in passages:
            snippet = " ".join(p.text.split())
            snippet = snippet if len(snippet) <= 100 else snippet[:99] + "…"
            print(f"{p.transcript} [{p.coding.start}:{p.coding.end}] {p.code_path}\n    {snippet}")
    return 0


def register_add(args: argparse.Namespace) -> int:
    with opened(args) as project:
        entry = project.register.add(
            args.text, args.replacement, args.category, args.transcript, args.variants or ()
        )
        scope = "in all transcripts" if entry.transcript_uuid is None else f"in {args.transcript}"
        forms = f" with {len(entry.variants)} other form(s)" if entry.variants else ""
        print(
            f"added to the register ({category_name(entry.category)}){forms}, "
            f"replaced by {entry.replacement} {scope}"
        )
    return 0


def register_edit(args: argparse.Namespace) -> int:
    if args.variants is None and not args.no_variants:
        raise InvalidInput("say which other forms it has with --variant TEXT (repeated), or --no-variants")
    with opened(args) as project:
        entry = project.register.entry_named(args.text, args.transcript)
        entry = project.register.set_variants(entry.uuid, [] if args.no_variants else args.variants)
        print(f"the entry now has {len(entry.variants)} other form(s), each replaced by {entry.replacement}")
    return 0


def register_list(args: argparse.Namespace) -> int:
    with opened(args) as project:
        names = {t.uuid: t.name for t in project.transcripts.all()}
        entries = project.register.entries()
        if args.json:
            _print_json(
                [
                    {
                        "uuid": e.uuid,
                        "text": e.text,
                        "category": e.category,
                        "replacement": e.replacement,
                        "transcript": names.get(e.transcript_uuid) if e.transcript_uuid else None,
                        "variants": list(e.variants),
                    }
                    for e in entries
                ]
            )
            return 0
        if not entries:
            print(
                'the register is empty; add to it with: jswcoder register PROJECT add TEXT --as "[DESCRIPTOR]"'
            )
        for e in entries:
            scope = "" if e.transcript_uuid is None else f"  (only in {names.get(e.transcript_uuid, '?')})"
            forms = f"  (also: {', '.join(e.variants)})" if e.variants else ""
            print(f"{category_name(e.category):<14} {e.text}{forms}  ->  {e.replacement}{scope}")
    return 0


def register_import(args: argparse.Namespace) -> int:
    with opened(args) as project:
        result = project.register.import_csv(Path(args.file))
        print(f"added {result.added} entries; {result.already_present} were already in the register")
    return 0


def register_export(args: argparse.Namespace) -> int:
    _notice(f"warning: {EXPORT_WARNING}")
    if not args.yes:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            raise JswError("not exported: confirm with --yes (there is no terminal to ask on)")
        if input("Write the register to a plain CSV file? Type yes: ").strip().lower() != "yes":
            raise JswError("not exported")
    with opened(args) as project:
        count = project.register.export_csv(Path(args.file))
        print(f"wrote {count} entries to {args.file} (readable by you only)")
    return 0


def register_suggest(args: argparse.Namespace) -> int:
    with opened(args) as project:
        candidates = project.register.suggestions()
        if args.json:
            _print_json(
                [
                    {
                        "text": c.text,
                        "category": c.category,
                        "replacement": c.replacement,
                        "occurrences": c.occurrences,
                    }
                    for c in candidates
                ]
            )
            return 0
        if not candidates:
            print("no candidates left to review")
        for c in candidates:
            print(f"{category_name(c.category):<14} {c.text}  ({c.occurrences}×)  suggest {c.replacement}")
        if candidates:
            print('\naccept with: jswcoder register PROJECT add TEXT --as "[DESCRIPTOR]" --category "Person"')
            print("or dismiss with: jswcoder register PROJECT dismiss TEXT")
    return 0


def register_dismiss(args: argparse.Namespace) -> int:
    with opened(args) as project:
        count = project.register.dismiss(args.texts)
        print(f"{count} marked as reviewed: not identifying")
    return 0


def preview(args: argparse.Namespace) -> int:
    with opened(args) as project:
        shown = project.anonymiser.preview(args.transcript)
        sys.stdout.write(shown.anonymised.text)
        if args.notes:
            for note, anonymised in shown.notes:
                sys.stdout.write(f"\n[{note.kind}] {anonymised.text}\n")
        count = len(shown.anonymised.replacements) + sum(len(a.replacements) for _, a in shown.notes)
        _notice(f"{count} replacements from the register")
    return 0


def team_create(args: argparse.Namespace) -> int:
    out = Path(args.team_file).expanduser()
    if not out.parent.is_dir():
        raise JswError(f"the folder {out.parent} for the team file is not there")
    # The codebook is read and checked before the project exists: a bad one leaves nothing behind.
    from jswcoder.refiqda.import_codebook import add_read_codes, read_qdc  # lxml and the schemas: only here

    template = templates.by_key(args.template) if args.template else None
    qdc = read_qdc(Path(args.codebook).expanduser()) if args.codebook else None
    passphrase = secrets.choose((args.name, args.coder))
    project, recovery_key = Project.create(
        args.project,
        name=args.name,
        coder=args.coder,
        passphrase=passphrase,
        use_keychain=not args.no_keychain,
    )
    with project:
        if template is not None:
            added = templates.apply(template, project.codebook)
            print(f"The team codebook starts from the template {template.name!r}: {added} themes")
        if qdc is not None:
            report = add_read_codes(project, *qdc)
            print(
                f"The team codebook starts from {Path(args.codebook).name}: {report.counts['codes']} themes"
            )
        created = project.team.create(args.name)
        lead_sync.write_team_file(project, out)
        print(f"Created the team {created.name!r}, led from the encrypted project in {project.paths.folder}")
        print(f"Wrote the team file to {out}. Each fieldworker joins with it and your fingerprint:")
        print(f"    jswcoder team join PROJECT {out.name} --fingerprint {created.fingerprint}")
        print(f"Your key fingerprint (read it to each fieldworker as they join): {created.fingerprint}")
        show_recovery_key(project, recovery_key)
    return 0


def team_join(args: argparse.Namespace) -> int:
    data = teamfile.read_bytes(Path(args.team_file).expanduser())
    if not ProjectPaths.of(args.project).database.exists():
        return _join_as_new_project(args, data)
    with opened(args) as project:
        joined = project.team.join(data, fingerprint=args.fingerprint)
        _print_joined(joined)
    return 0


def _join_as_new_project(args: argparse.Namespace, data: bytes) -> int:
    if not args.coder:
        raise JswError(f"there is no project in {args.project}; to make one by joining, give --coder NAME")
    membership.checked_team_file(data, args.fingerprint)  # before a passphrase is asked for
    passphrase = secrets.choose((teamfile.decode(data).name, args.coder))
    project, recovery_key, joined = join_as_new_project(
        args.project,
        data,
        fingerprint=args.fingerprint,
        coder=args.coder,
        passphrase=passphrase,
        use_keychain=not args.no_keychain,
    )
    with project:
        print(f"Created the encrypted project {project.name!r} in {project.paths.folder}")
        _print_joined(joined)
        show_recovery_key(project, recovery_key)
    return 0


def _print_joined(joined: Joined) -> None:
    print(f"joined the team {joined.team_name!r} (lead: {', '.join(joined.lead_names)})")
    print(f"the lead's fingerprint matches: {joined.fingerprint}")
    _print_codebook_update(joined.codebook)
    for path in joined.codebook.local:
        print(f"    your own theme, kept: {path}")
    print("Next: read your own fingerprint to the lead (jswcoder team fingerprint PROJECT), then sync")


def team_fingerprint(args: argparse.Namespace) -> int:
    with opened(args) as project:
        print(f"Your key fingerprint (read it to the lead): {project.team.fingerprint()}")
    return 0


def team_members(args: argparse.Namespace) -> int:
    with opened(args) as project:
        members = project.team.members()
        rows = [
            {
                "name": m.name,
                "member_id": m.member_id,
                "state": m.state,
                "fingerprint": keys.fingerprint(m.signing_public),
                "last_package": m.last_sequence or None,
            }
            for m in members
        ]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no one has asked to join yet: their requests arrive when they sync and you sync")
    for row in rows:
        last = f"last package {row['last_package']}" if row["last_package"] else "no package yet"
        print(f"{row['state']:<9} {row['name']}  fingerprint {row['fingerprint']}  {last}")
    if any(row["state"] == "pending" for row in rows):
        print("\nadmit a member once they read you the same fingerprint:")
        print("    jswcoder team admit TEAMPROJECT NAME --fingerprint XXXX-XXXX-XXXX-XXXX")
    return 0


def team_admit(args: argparse.Namespace) -> int:
    with opened(args) as project:
        member = project.team.admit(args.member, args.fingerprint)
        print(f"admitted {member.name}: their packages are merged from your next sync")
    return 0


def team_refuse(args: argparse.Namespace) -> int:
    with opened(args) as project:
        member = project.team.refuse(args.member)
        print(f"refused {member.name}: nothing from them is merged")
    return 0


def _print_codebook_update(update: CodebookUpdate) -> None:
    print(f"team codebook version {update.version}: {len(update.added)} theme(s) added")
    for path in update.adopted:
        print(f"    your theme {path!r} is now the team's (its codings moved with it)")
    for name in update.conflicts:
        _notice(f"the team theme {name!r} was not added: a team theme you moved is in its place")


def _print_leaks(error: LeaksFound) -> None:
    print("Identifying details still in the package (add each to the register or dismiss it):")
    for remaining in error.remaining:
        print(remaining)


def export(args: argparse.Namespace) -> int:
    with opened(args) as project:
        try:
            path = exchange.export_package(project, args.out, args.transcript, args.attribute)
        except LeaksFound as error:
            _print_leaks(error)
            raise
        leads = ", ".join(lead.name for lead in project.team.leads())
        print(f"wrote {path} (anonymised; only {leads} can open it)")
    return 0


def sync(args: argparse.Namespace) -> int:
    with opened(args) as project:
        if project.team.role() == "lead":
            _print_lead_sync(lead_sync.sync_lead(project, args.folder), as_json=args.json)
            return 0
        try:
            chosen = () if args.no_attributes else args.attribute or None  # None: the app's choice
            report = exchange.sync_fieldworker(project, args.folder, chosen)
        except LeaksFound as error:
            _print_leaks(error)
            raise
        if report.codebook is not None:
            _print_codebook_update(report.codebook)
        for name in report.received.added:
            print(f"received for double coding: {name!r} (code it as usual; the first coding is not shown)")
        for note in report.received.notes:
            _notice(note)
        for skipped in report.skipped:
            _notice(f"skipped {skipped}")
        if report.request_written is not None:
            print(f"registered with the team: wrote {report.request_written}")
        if report.withdrawn:
            print(f"applied the lead's withdrawal orders: {report.withdrawn} transcript(s) purged")
        if report.package is not None:
            print(f"sent package {report.sequence}: {report.package}")
        else:
            print(report.note)
    return 0


def _merge_report_lines(report: MergeReport) -> list[str]:
    def tally(counts: dict[str, int]) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "nothing"

    lines = [
        f"package {report.sequence} from {report.member_name}: added {tally(report.added)}; "
        f"replaced {tally(report.replaced)}; removed {tally(report.removed)}"
    ]
    lines += [f"    refused: {reason}" for reason in report.refused]
    lines += [f"    note: {note}" for note in report.notes]
    lines += [
        f"    same name, different theme: {c.get('path', '?')} (merge it once in the app or keep both)"
        for c in report.name_collisions
    ]
    return lines


def _print_lead_sync(report: lead_sync.LeadSyncReport, *, as_json: bool) -> None:
    if as_json:
        _print_json(
            {
                "pending": [{"name": n, "fingerprint": f} for n, f in report.pending],
                "waiting": report.waiting,
                "merged": [asdict(m) for m in report.merged],
                "refused": [{"file": f, "reason": r} for f, r in report.refused],
                "team_file_written": report.team_file_written,
                "withdrawals_confirmed_by": report.confirmed,
                "destroyed_by": report.destroyed,
            }
        )
        return
    for name, fingerprint in report.pending:
        print(f"{name} asks to join: key fingerprint {fingerprint}")
    if report.pending:
        print(
            "    nothing from them is merged until you admit them, once they read you the same fingerprint:"
        )
        print("    jswcoder team admit TEAMPROJECT NAME --fingerprint XXXX-XXXX-XXXX-XXXX")
    for name in report.waiting:
        print(f"{name}'s packages wait until you admit them (jswcoder team members TEAMPROJECT)")
    for merged in report.merged:
        print("\n".join(_merge_report_lines(merged)))
    for file, reason in report.refused:
        print(f"not merged: {file}: {reason}")
    for name in report.keys_learned:
        print(f"{name}'s encryption key arrived: transcripts assigned to them go out in the team file")
    for name in report.confirmed:
        print(f"{name} confirmed withdrawals (jswcoder withdrawals TEAMPROJECT)")
    for name in report.destroyed:
        print(f"{name}'s project was destroyed: the retention period has ended")
    if not (report.pending or report.waiting or report.merged or report.refused or report.keys_learned):
        print("nothing new in the exchange folder")
    if report.team_file_written:
        print("published the team codebook to the exchange folder")


def merge(args: argparse.Namespace) -> int:
    with opened(args) as project:
        reports, failed = [], []
        for name in args.packages:
            try:
                reports.append(lead_sync.merge_file(project, Path(name)))
            except JswError as error:
                failed.append({"file": name, "reason": str(error)})
        if args.json:
            _print_json({"merged": [asdict(r) for r in reports], "refused": failed})
        else:
            for report in reports:
                print("\n".join(_merge_report_lines(report)))
            for item in failed:
                _notice(f"not merged: {item['file']}: {item['reason']}")
    return 1 if failed else 0


def passwd(args: argparse.Namespace) -> int:
    current: str | None = None
    if args.recovery:
        recovery_key = secrets.obtain(secrets.RECOVERY_KEY, "Recovery key: ")
        project = Project.open(args.project, recovery_key=recovery_key, use_keychain=not args.no_keychain)
    else:
        current = secrets.obtain(secrets.PASSPHRASE, "Current passphrase: ")
        project = Project.open(args.project, passphrase=current, use_keychain=not args.no_keychain)
    with project:

        def acceptable(new: str) -> None:
            if args.rekey and new == current:
                raise InvalidInput(
                    "the new passphrase is the project's passphrase now; --rekey needs another"
                )
            project.check_new_passphrase(new)

        new = secrets.obtain(
            secrets.NEW_PASSPHRASE, "New passphrase (a few words): ", confirm=True, check=acceptable
        )
        if not args.rekey:
            project.change_passphrase(new)
            print(f"The passphrase of {project.name!r} was changed. The recovery key still works.")
            return 0
        new_recovery_key = project.rekey(new, use_keychain=not args.no_keychain)
        print(f"{project.name!r} was re-encrypted under a new key, opened by the new passphrase and the")
        print("new recovery key below. The old passphrase, the old recovery key and any copy of the old")
        print("key file no longer open it.")
        show_recovery_key(project, new_recovery_key)
    return 0


def _describe_demo(project: Project) -> None:
    print(f"The demo project is in {project.paths.folder}")
    print(f"Its passphrase is {demo_project.PASSPHRASE!r} (it holds only invented interviews).")
    print("  ".join(f"{key}: {value}" for key, value in project.counts().items()))
    print()
    for passage in project.codings.passages()[:5]:
        snippet = " ".join(passage.text.split())[:90]
        print(f"  {passage.code_path}\n      “{snippet}…” ({passage.transcript})")
    print()
    print("Explore it with, for example:")
    print(f'    jswcoder codings "{project.paths.folder}"')
    print(f'    jswcoder agreement "{project.paths.folder}" demo_04_client_depth    (it is double coded)')
    print(f'    jswcoder report "{project.paths.folder}" --out "Theme report.docx"')
    print(f'    jswcoder matrix "{project.paths.folder}" --out "Framework matrix.xlsx"')
    print(f'    jswcoder open "{project.paths.folder}"    (Analysis › Framework matrix: Ctrl+Shift+M)')


def demo(args: argparse.Namespace) -> int:
    folder = Path(args.folder) if args.folder else None
    project = demo_project.open_or_create(folder, fresh=args.fresh)
    try:
        _describe_demo(project)
        window = not args.no_window and display_available()
        if not args.no_window and not window:
            _notice("there is no display here, so the desktop app cannot open; the demo project is ready")
    except BaseException:
        project.close()
        raise
    if not window:
        project.close()
        return 0
    from jswcoder.ui.app import run  # Qt loads only when a window is wanted

    return run(project)  # the window closes the project when it closes


def open_project(args: argparse.Namespace) -> int:
    if not display_available():
        raise JswError("there is no display here to open the desktop app on")
    from jswcoder.ui.app import run

    # Without a project (a desktop menu's "jswcoder open %f" with no file) it is the start screen.
    return run(Path(args.project) if args.project else None)


def desktop(args: argparse.Namespace) -> int:
    """No subcommand: the desktop app's start screen."""
    if not display_available():
        _notice("there is no display here to open the desktop app on; see: jswcoder --help")
        return 2
    from jswcoder.ui.app import run

    return run()
