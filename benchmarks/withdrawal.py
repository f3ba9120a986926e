"""Consent withdrawn at the lead: purge one participant from the whole study, the file rebuilt.

Run: ``.venv/bin/python -m benchmarks.withdrawal --scale {tiny,study,stress} [--json OUT]``. On a copy
of the scale's team (:mod:`benchmarks.scale`): the lead merges every fieldworker's first package, so
the participant withdrawn came in a member's package (provenance and all); then the withdrawal of the
participant with the most codings is timed whole: the record, the purge with secure delete on, the
VACUUM that rebuilds the file and the checkpoint that truncates its log.
"""

from __future__ import annotations

import shutil

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, seconds_of
from benchmarks.scale import Corpus, Scale, scratch
from jswcoder.team.lead_sync import sync_lead


def run(scale: Scale) -> list[Figure]:
    team = Corpus(scale).team()
    folder = scratch("withdrawal-")
    try:
        for source in [team.lead, team.exchange]:
            shutil.copytree(source, folder / source.name)
        lead = open_project(folder / team.lead.name)
        try:
            sync_lead(lead, folder / team.exchange.name)
            counts = lead.counts()
            busiest = max(
                lead.transcripts.all(), key=lambda t: len(lead.codings.of_transcript(t.uuid))
            ).participant_uuid
            assert busiest is not None
            size = lead.paths.database.stat().st_size
            withdraw = seconds_of(lambda: lead.withdrawals.withdraw(busiest, "benchmark"))
            after = lead.counts()
        finally:
            lead.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Figure(
            "withdraw",
            f"lead: withdraw a participant ({counts['transcripts']:,} transcripts, {counts['codings']:,} "
            f"codings, a {size / 2**20:.0f} MB file)",
            withdraw,
            "s",
            "withdraw",
        ),
        Figure(
            "withdraw.codings",
            "  codings purged with them",
            counts["codings"] - after["codings"],
            "count",
        ),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
