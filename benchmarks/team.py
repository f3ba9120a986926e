"""The team workflow: a fieldworker's export, the lead merging every package, and syncs with nothing new.

Run: ``.venv/bin/python -m benchmarks.team --scale {tiny,study,stress} [--json OUT]``. The projects
are the scale's team (:mod:`benchmarks.scale`): a lead and one project per fieldworker, each holding
its share of the transcripts and codings, and an exchange folder with every fieldworker's first
package. Everything is timed on copies, with real crypto: the export (anonymised with the fieldworker's
register, searched for leftover identifiers, sealed and signed) of ``export`` transcripts; a repeated
fieldworker sync (and that it sends nothing); the lead's sync that merges every admitted member's
package; and a repeated lead sync with nothing new. The merged counts are reported too, as a check.
"""

from __future__ import annotations

import shutil

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, seconds_of
from benchmarks.scale import Corpus, Scale, scratch
from jswcoder.team.exchange import SyncReport, export_package, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead


def run(scale: Scale) -> list[Figure]:
    team = Corpus(scale).team()
    folder = scratch("team-")
    try:
        for source in [team.lead, team.fieldworkers[0], team.exchange]:
            shutil.copytree(source, folder / source.name)
        exchange = folder / team.exchange.name
        worker = open_project(folder / team.fieldworkers[0].name)
        try:
            chosen = [t.name for t in worker.transcripts.all()][: scale.export]
            # The register review an export requires; it saves the detector's findings in the project
            # (a corpus built since then has them saved already, and this takes milliseconds).
            review = seconds_of(worker.register.suggestions)
            export = seconds_of(lambda: export_package(worker, folder / "out.jswpkg", chosen))
            synced: list[SyncReport] = []
            worker_sync = seconds_of(lambda: synced.append(sync_fieldworker(worker, exchange)))
        finally:
            worker.close()
        lead = open_project(folder / team.lead.name)
        try:
            merged: list[object] = []
            merge = seconds_of(lambda: merged.append(sync_lead(lead, exchange)))
            lead_sync = seconds_of(lambda: sync_lead(lead, exchange))
            counts = lead.counts()
        finally:
            lead.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    packages = scale.fieldworkers
    return [
        Figure("export", f"export {len(chosen)} transcripts as an anonymised package", export, "s", "export"),
        Figure(
            "export.review", "  of it, before: the register review (detector findings saved)", review, "s"
        ),
        Figure(
            "merge",
            f"lead: merge {packages} packages ({counts['transcripts']:,} transcripts, "
            f"{counts['codings']:,} codings)",
            merge,
            "s",
            "merge",
        ),
        Figure(
            "sync.fieldworker", "fieldworker: repeated sync, nothing new", worker_sync, "s", "sync.unchanged"
        ),
        Figure("sync.lead", "lead: repeated sync, nothing new", lead_sync, "s", "sync.unchanged"),
        Figure(
            "sync.fieldworker.sent",
            "  packages the fieldworker's repeated sync sent (should be 0)",
            sum(report.package is not None for report in synced),
            "count",
        ),
        Figure(
            "merged.transcripts", "lead's project after merging: transcripts", counts["transcripts"], "count"
        ),
        Figure("merged.codings", "lead's project after merging: codings", counts["codings"], "count"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
