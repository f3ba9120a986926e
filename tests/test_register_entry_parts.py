"""A registered person's surname or first name used on its own is suggested with the entry's descriptor
(issue 16: "a register entry's parts and variants")."""

from __future__ import annotations

from pathlib import Path

from jswcoder.anonymise.entry_parts import entry_parts
from jswcoder.model import RegisterEntry
from jswcoder.project import Project
from tests.conftest import write_txt

TEXT = (
    "Interviewer: Who supervises the order?\n"
    "P1: Eilidh MacAulay does. Then MacAulay phoned my mum, and Eilidh came round on the Friday.\n"
    "P1: We applied for a grant. Grant Fleming runs the groupwork; Fleming is fair.\n"
)


def _entry(text: str, replacement: str, category: str = "PERSON") -> RegisterEntry:
    return RegisterEntry(f"uuid-{text}", text, category=category, replacement=replacement)


def test_parts_standing_alone_are_found_and_those_inside_the_full_name_are_not() -> None:
    found = entry_parts(
        [
            _entry("Eilidh MacAulay", "[JSW WORKER]"),
            _entry("Grant Fleming", "[GROUPWORK WORKER]"),
            _entry("Baile a' Mhanaich", "[NAME OF TOWN]", "PLACE"),  # places: not split
        ],
        [TEXT],
    )
    assert [(c.text, c.replacement, c.occurrences) for c in found] == [
        ("Eilidh", "[JSW WORKER]", 1),
        ("Fleming", "[GROUPWORK WORKER]", 1),
        ("MacAulay", "[JSW WORKER]", 1),
    ]  # "Grant" is an ordinary word in this study ("a grant"): not suggested on its own


def test_the_review_suggests_a_surname_alone_until_it_is_added_or_dismissed(
    project: Project, tmp_path: Path
) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", TEXT))
    project.register.add("Eilidh MacAulay", "[JSW WORKER]", "PERSON")
    project.register.add("Grant Fleming", "[GROUPWORK WORKER]", "PERSON")
    suggested = {c.text: c.replacement for c in project.register.suggestions()}
    assert suggested.get("MacAulay") == "[JSW WORKER]" and suggested.get("Fleming") == "[GROUPWORK WORKER]"
    project.register.add("MacAulay", "[JSW WORKER]", "PERSON")
    project.register.dismiss(["Fleming"])
    after = {c.text for c in project.register.suggestions()}
    assert "MacAulay" not in after and "Fleming" not in after
