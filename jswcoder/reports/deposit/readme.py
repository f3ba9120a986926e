"""The deposit's README.txt: what each file is, how the transcripts were anonymised, when and by what.

It names neither the project nor anyone in it (a project is often named for its area, which tells the
local authority); in a fieldworker's deposit its text passes the leak check with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jswcoder import __version__

LOG_COMMAND = "jswcoder deposit-log"


@dataclass(frozen=True)
class ReadmeFacts:
    """What the README says about one deposit."""

    date: str  # ISO date
    anonymised_here: bool  # a fieldworker's project; False: a lead's, already anonymised
    transcript_stems: Sequence[str]
    has_codebook: bool
    attributes: Sequence[str]  # the data list's optional columns, in words
    log_name: str
    replacements: int


def readme(facts: ReadmeFacts) -> str:
    lines = [
        "Archive deposit",
        "===============",
        "",
        f"Made on {facts.date} with jswcoder {__version__}, software for coding interview transcripts.",
        "",
        "Files",
        "-----",
        "transcripts/        each interview transcript, anonymised, twice: as a Word document (.docx) and",
        "                    as plain UTF-8 text (.txt). Files are named by the participant's group and",
        "                    interview number, or 'Transcript N' where a transcript has no participant.",
        f"                    {len(facts.transcript_stems)} transcript(s).",
        "project.qdpx        the coded project in the REFI-QDA exchange standard (QDA-XML 1.0), for NVivo,",
        "                    ATLAS.ti, MAXQDA, QualCoder and others: the anonymised transcripts, the themes,",
        "                    the coding and the memos. Checked against the standard's schema.",
    ]
    if facts.has_codebook:
        lines += [
            "codebook.qdc        the themes alone, as a REFI-QDA codebook. Checked against the standard's schema.",
        ]
    else:
        lines += ["                    (No codebook.qdc: the project has no themes.)"]
    optional = f"; also {', '.join(facts.attributes)}" if facts.attributes else ""
    lines += [
        "data_list.xlsx      the data list: one row per transcript with what may be said of its participant",
        f"                    (participant group and interview number{optional}) and its length in words.",
        "README.txt          this file.",
        f"{facts.log_name:<20}the anonymisation log, ENCRYPTED, with a passphrase of its own (see below).",
        "",
        "How the transcripts were anonymised",
        "-----------------------------------",
    ]
    if facts.anonymised_here:
        lines += [
            "Each identifying detail (a name, place, organisation, date, case reference, ...) was entered in",
            "the project's anonymisation register with a descriptor, and every occurrence was replaced by",
            "that descriptor in square brackets, for example [TEAM LEADER] or [NAME OF TOWN]. Matching is by",
            "whole words, longest entry first. Before the deposit was written, every file in it was searched",
            "again for every register entry, in any case, and for every detail the software flags that had",
            "not been reviewed; it would not have been written while any remained.",
            f"{facts.replacements} replacement(s) were made in the transcripts.",
        ]
    else:
        lines += [
            "These transcripts were anonymised before they reached this project: each fieldworker replaced",
            "every identifying detail with a descriptor in square brackets (for example [TEAM LEADER]) in",
            "their own project, and sent only the anonymised text. Nothing was replaced when this deposit",
            "was made, so its anonymisation log is EMPTY; the replacements are listed in the logs of the",
            "fieldworkers' own deposits, made from their projects.",
        ]
    lines += [
        "",
        "The anonymisation log",
        "---------------------",
        f"{facts.log_name} lists every replacement made in the transcripts: the original text, the",
        "descriptor, its category, the transcript and the number of times. (Theme names, memos and the",
        "data list passed the same register.) It identifies people, so it is encrypted (AES-256-GCM, with",
        "a key derived from its passphrase by Argon2id) under a passphrase that is not the project's. Keep",
        "it apart from the anonymised data, and give its passphrase to the archive separately.",
        f"To read it: {LOG_COMMAND} {facts.log_name} (asks for its passphrase).",
        "",
        "Document notes (headers, footers, footnotes, comments) of the original files are not included.",
    ]
    return "\n".join(lines) + "\n"
