"""Export profiles: what each tool that reads a .qdpx expects beyond the REFI-QDA standard.

The standard (section 10.2) counts selection positions in code points and says nothing about line
ends, byte order marks, duplicate code names or where a document's variables go; each tool filled
those gaps its own way, and a .qdpx written to the letter of the standard can land with codings one
character off after every line end, or lose themes whose names repeat. A profile is the small table
of one target's conventions. ``standard`` is the default and is what the standard says.

Every profile's output is the same schema-valid document and the same GUIDs; only the conventions
below change. Where each row comes from is in :data:`SOURCES` and ``docs/interop.md``.

Positions are always counted over the text as written into ``sources/``: with ``\\r\\n`` line ends,
``line_end_units`` says whether the target counts each line end as one character (as ATLAS.ti and
MAXQDA do) or two (NVivo).
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from jswcoder.errors import InvalidInput
from jswcoder.offsets import Convention


class Variables(enum.Enum):
    """Where a participant's details (participant group, interview number, ...) go."""

    CASES = "cases"
    """As the standard: one named ``Case`` per participant with its ``VariableValue``s and ``SourceRef``s."""
    CASES_AND_GROUPS = "cases and document groups"
    """As ``CASES``, and also one ``Set`` of sources per value, named ``Variable::value``: ATLAS.ti keeps
    no cases, and reads such names on document groups as variables."""
    DOCUMENT_VARIABLES = "document variables"
    """No cases: each source holds its participant's ``VariableValue``s, as MAXQDA writes its document
    variables. Focus-group speakers' cases are left out."""


@dataclass(frozen=True)
class Profile:
    """One target's conventions (see the module docstring)."""

    key: str
    tool: str
    positions: Convention
    """The unit selection positions are counted in: ``CODEPOINTS`` or ``UTF16`` (surrogate pairs count 2)."""
    line_end: str
    """Line ends in the source files: ``"\\n"`` or ``"\\r\\n"``."""
    line_end_units: int
    """How many units each line end counts in positions: 1, or 2 for a ``"\\r\\n"`` counted as two."""
    byte_order_mark: bool
    """Whether the source files start with a UTF-8 byte order mark (never counted in positions)."""
    upper_case_guids: bool
    """Whether GUIDs are written in upper case (the standard's schema takes either; some tools' copies not)."""
    unique_names: bool
    """Whether every theme's name, and every case's, must differ from every other's (then a repeated
    theme becomes "Name (Parent)", a repeated case "Name (2)")."""
    variables: Variables
    drops: tuple[tuple[str, str], ...]
    """What the target is documented to leave out or change, as (what the project must hold for it to
    matter: ``"participants"``, ``"speakers"`` or ``"memos"``, the words of the export's warning)."""

    def will_not_keep(self, held: Collection[str] | None = None) -> str:
        """The sentence naming what the tool will not keep of what the project ``held`` ("participants",
        "speakers", "memos"; everything it drops if None), or "" when nothing applies."""
        said = [words for what, words in self.drops if held is None or what in held]
        return f"{self.tool} will not keep: " + "; ".join(said) + "." if said else ""

    @property
    def convention(self) -> Convention:
        """The :class:`Convention` that counts positions this way over the canonical (``\\n``) text."""
        if self.line_end_units == 2:
            if self.positions is not Convention.UTF16:
                raise ValueError("a line end counted as two is only known with UTF-16 positions")
            return Convention.UTF16_CRLF
        return self.positions

    def source_text(self, text: str) -> bytes:
        """A canonical text as this target's source file."""
        written = text.replace("\n", self.line_end) if self.line_end != "\n" else text
        return ("\ufeff" if self.byte_order_mark else "").encode() + written.encode("utf-8")


STANDARD = Profile(
    key="standard",
    tool="REFI-QDA standard",
    positions=Convention.CODEPOINTS,
    line_end="\n",
    line_end_units=1,
    byte_order_mark=False,
    upper_case_guids=False,
    unique_names=False,
    variables=Variables.CASES,
    drops=(),
)
NVIVO = Profile(
    key="nvivo",
    tool="NVivo",
    positions=Convention.UTF16,
    line_end="\r\n",
    line_end_units=2,
    byte_order_mark=True,
    upper_case_guids=False,
    unique_names=False,
    variables=Variables.CASES,
    drops=(),
)
ATLASTI = Profile(
    key="atlasti",
    tool="ATLAS.ti",
    positions=Convention.CODEPOINTS,
    line_end="\r\n",
    line_end_units=1,
    byte_order_mark=False,
    upper_case_guids=True,
    unique_names=True,
    variables=Variables.CASES_AND_GROUPS,
    drops=(
        (
            "participants",
            "participants as cases (their details arrive as document groups named 'Detail::value')",
        ),
        ("speakers", "focus-group speakers' cases and the passages they hold"),
    ),
)
MAXQDA = Profile(
    key="maxqda",
    tool="MAXQDA",
    positions=Convention.CODEPOINTS,
    line_end="\r\n",
    line_end_units=1,
    byte_order_mark=False,
    upper_case_guids=True,
    unique_names=False,
    variables=Variables.DOCUMENT_VARIABLES,
    drops=(
        ("participants", "participants as cases (their details arrive as each document's variables)"),
        ("speakers", "focus-group speakers' cases (not written)"),
    ),
)
QUALCODER = Profile(
    key="qualcoder",
    tool="QualCoder",
    positions=Convention.CODEPOINTS,
    line_end="\n",
    line_end_units=1,
    byte_order_mark=False,
    upper_case_guids=False,
    unique_names=True,
    variables=Variables.CASES,
    drops=(
        ("participants", "which transcripts are each participant's (the cases arrive with their details)"),
        ("speakers", "the passages of focus-group speakers' cases"),
        ("memos", "the memos (QualCoder reads notes only as journals kept in files, or as annotations)"),
    ),
)

PROFILES: dict[str, Profile] = {p.key: p for p in (STANDARD, NVIVO, ATLASTI, MAXQDA, QUALCODER)}

SOURCES: dict[str, tuple[str, ...]] = {
    "standard": ("REFI-QDA Project standard 1.5, section 10.2 (positions are code points from 0)",),
    "nvivo": (
        "shared/refi-qda/samples/nvivo-win-12.6.qdpx: NVivo 12.6 for Windows writes UTF-8 with a byte order "
        "mark and CRLF, and counts UTF-16 units with CRLF as two (300 of 303 selections on word boundaries)",
        "NVivo 12 help, 'REFI-QDA Standard for project exchange': cases, classifications, coding and memos "
        "are transferred; datasets are not",
    ),
    "atlasti": (
        "QualCoder wiki 6.1 'Imports and Exports': importing its .qdpx (\\n line ends) into ATLAS.ti shifted "
        "codings by a character after each line ending; attributes did not import",
        "Magnolia xml-serializer.ts (d6a830b), uppercaseGuids: 'Atlas.ti / MAXQDA reject lowercase GUIDs as "
        "schema-invalid'",
        "QualCoder refi.py (load_text_source): ATLAS.ti's own export stores CRLF in the source text and "
        "counts each line end as one character",
        "ATLAS.ti 7.1 user manual, survey import ('Data preparation'): a single-choice answer becomes a "
        "document family named field plus value, e.g. 'Sex::male' and 'Sex::female' (ATLAS.ti's groups)",
        "ATLAS.ti 22 manual (Windows), 'Merging Projects': two codes named 'sunshine' become 'sunshine' and "
        "'sunshine (2)', so a name is held once; we rename a repeat 'Name (Parent)' ourselves, which says more",
    ),
    "maxqda": (
        "QualCoder wiki 6.1 'Imports and Exports': MAXQDA needs an additional line ending character "
        "(QualCoder's 'Add line ending character for MAXQDA' writes CRLF and keeps the positions)",
        "Magnolia xml-serializer.ts (d6a830b), uppercaseGuids: 'Atlas.ti / MAXQDA reject lowercase GUIDs as "
        "schema-invalid'",
        "QualCoder refi.py (load_text_source): VariableValue inside a TextSource, 'This approach used by "
        "MAXQDA but not by QUIRKOS'",
        "QualCoder issue #465: MAXQDA and Quirkos encode document variables differently from each other "
        "(Quirkos: an unnamed Case with one SourceRef)",
    ),
    "qualcoder": (
        "QualCoder __main__.py schema: code_name, code_cat, cases and attribute_type names are unique; "
        "refi.py sub_codes registers no code for a repeated name, so its codings arrive with no code",
        "QualCoder refi.py (load_text_source) reads sources as UTF-8 text, positions as Python string "
        "indices; a CRLF file gets a space added after each line end",
        "QualCoder refi.py (parse_cases) reads a case's name and VariableValues, not its SourceRef or "
        "SelectionRef; parse_notes keeps a Note only as a journal with a plainTextPath or as an annotation",
    ),
}


def profile(key: str) -> Profile:
    """The profile named ``key`` (``standard``, ``nvivo``, ``atlasti``, ``maxqda``, ``qualcoder``)."""
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(PROFILES)
        raise InvalidInput(f"there is no export profile {key!r}; choose one of {known}") from None
