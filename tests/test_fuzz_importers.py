"""Fuzzing the file importers (issue 8, part 4): .docx and .txt transcripts, the project's import of
them (with their details files), .qdpx projects and .qdc codebooks.

Each input is a real, valid file mutated at the level it is built from (bytes, zip members, XML trees,
encodings). The property, for every importer: the call either succeeds or raises the importer's
documented error with one plain line that quotes nothing of the file, it finishes (a stuck call fails
after fuzzing.HANG_SECONDS), and a refused import leaves the project exactly as it was: every table row
and every file in the project folder but the database and its journals. The team's packages and team
files are fuzzed in test_fuzz_team.py. More examples: JSWCODER_FUZZ_EXAMPLES=1000 pytest tests/test_fuzz_*.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jswcoder.errors import ImportRejected, JswError
from jswcoder.importing import ImportedDocument, read_document
from jswcoder.importing.docx_inline import w
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.refiqda.export_codebook import export_codebook
from jswcoder.refiqda.export_project import export_project
from jswcoder.refiqda.import_codebook import import_qdc
from jswcoder.refiqda.import_project import import_qdpx
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import people
from tests.conftest import FAST_KDF, PASSPHRASE, write_txt
from tests.fuzzing import (
    Blob,
    Hung,
    call_importer,
    dump_json,
    fuzz_settings,
    mutated_bytes,
    mutated_json,
    mutated_xml,
    mutated_zip,
    project_state,
    time_budget,
)
from tests.indirect_decided import decide_all
from tests.test_import_hostile import docx_bytes, reject, rezip
from tests.test_refiqda_import import qdpx

SECRET = "Quistclose"
"""A word only in transcript bodies: no refusal may quote it."""

TEXT = (
    f"Interviewer: Who was your worker?\n"
    f"P1: Mrs {SECRET} \u2014 she came every week, caf\u00e9 and all \U0001f600.\n"
    "Interviewer [00:01:02]: And the office?\n"
    f"P1: Next to the library. {SECRET} knew everyone.\n"
)
_counter = itertools.count()


def unique(stem: str) -> str:
    return f"{stem}{next(_counter)}"


# -- seeds ----------------------------------------------------------------------------------------------


def seed_docx() -> bytes:
    """A transcript with bold speaker labels, a speaker table, a header, a footer and a comment."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Study header, interview 4"
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    first = document.add_paragraph()
    first.add_run("Interviewer:").bold = True
    first.add_run(" Who was your worker?")
    answer = document.add_paragraph()
    answer.add_run("P1:").bold = True
    said = answer.add_run(f" Mrs {SECRET}, every week \U0001f600.")
    document.add_comment(said, text="check this name", author="Transcriber")
    table = document.add_table(rows=3, cols=2)
    rows = [("Speaker", "Said"), ("Interviewer", "And the office?"), ("P1", f"{SECRET} knew all.")]
    for row, (speaker, words) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = speaker, words
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SEED_DOCX = Blob(seed_docx())
DOCX_TAGS = [
    w(tag)
    for tag in (
        "p r t b tbl tr tc sdt sdtContent ins del delText tab br commentReference footnoteReference "
        "txbxContent comment"
    ).split()
]
DOCX_ATTRIBUTES = [w(name) for name in ("id", "val", "type", "author")]


def docx_xml(name: str, data: bytes) -> st.SearchStrategy[bytes] | None:
    if not name.endswith((".xml", ".rels")) or not data.lstrip().startswith(b"<"):
        return None
    return mutated_xml(data, tags=DOCX_TAGS, attributes=DOCX_ATTRIBUTES, values=["0", "1", "-1", "normal"])


DOCX_INPUTS = mutated_zip(SEED_DOCX, xml=docx_xml, extra_names=["word/footnotes.xml", "customXml/item1.xml"])


@st.composite
def txt_inputs(draw: st.DrawFn) -> bytes:
    """The seed text (or random text) in one of the encodings people save with, perhaps damaged."""
    text = draw(st.sampled_from([TEXT, TEXT.replace("\n", "\r\n"), TEXT.replace("\n", "\r")]) | st.text())
    encoding = draw(
        st.sampled_from(
            ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]
        )
    )
    data = Blob(text.encode(encoding, errors="replace"))
    return draw(st.just(data) | mutated_bytes(data))


# -- transcripts ------------------------------------------------------------------------------------------


def check_document(document: ImportedDocument) -> None:
    assert isinstance(document, ImportedDocument) and document.text.strip()


@fuzz_settings(60)
@given(data=DOCX_INPUTS)
def test_docx_reader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes(data)
    document, _refused = call_importer(lambda: read_document(path), ImportRejected, SECRET)
    if document is not None:
        check_document(document)


@fuzz_settings(60)
@given(data=txt_inputs())
def test_txt_reader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    document, _refused = call_importer(lambda: read_document(path), ImportRejected, SECRET)
    if document is not None:
        check_document(document)


SIDECAR = {
    "participant_group": "Clients",
    "interview_number": 3,
    "format": "depth",
    "mode": "video",
    "role": "x",
}


@st.composite
def sidecars(draw: st.DrawFn) -> bytes | None:
    """No details file, a hostile one made from a valid one, or one that is not JSON at all."""
    kind = draw(st.sampled_from(["none", "json", "bytes"]))
    if kind == "none":
        return None
    if kind == "json":
        return dump_json(draw(mutated_json(SIDECAR)), depth=30_000)
    return draw(
        mutated_bytes(json.dumps(SIDECAR).encode())
        | st.sampled_from([Blob(b"Infinity"), Blob(b"[1e999]"), Blob(b"{}")])
    )


@fuzz_settings(40)
@given(
    suffix=st.sampled_from([".docx", ".txt"]),
    data=st.data(),
    sidecar=sidecars(),
    many=st.booleans(),
)
@example(suffix=".txt", data=None, sidecar=b'{"interview_number": Infinity}', many=False)
@example(suffix=".txt", data=None, sidecar=b'{"participant_group": "Clients \\ud800"}', many=False)
@example(suffix=".txt", data=None, sidecar=b'{"interview_number": 1e400}', many=True)
@example(suffix=".txt", data=None, sidecar=b'{"interview_number": 100000000000000000000000}', many=False)
@example(
    suffix=".txt", data=None, sidecar=Blob(b'{"role": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"), many=False
)
def test_project_import(
    project: Project,
    tmp_path: Path,
    suffix: str,
    data: st.DataObject | None,
    sidecar: bytes | None,
    many: bool,
) -> None:
    """The project's own import (one file, or a batch that reports each file): all or nothing."""
    if data is None:
        content = TEXT.replace("worker", unique("worker")).encode()
    else:
        content = data.draw(DOCX_INPUTS if suffix == ".docx" else txt_inputs())
    path = tmp_path / "inbox" / f"{unique('interview')}{suffix}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    if sidecar is not None:
        path.with_name(path.stem + ".meta.json").write_bytes(sidecar)
    before = project_state(project)
    if many:
        report, _ = call_importer(lambda: project.transcripts.import_files([path]), ImportRejected, SECRET)
        assert report is not None, "a batch import reports each refused file rather than raising"
        for refused in report.rejected:
            assert "\n" not in str(refused) and SECRET not in str(refused)
        refused_now = bool(report.rejected)
    else:
        _stored, error = call_importer(lambda: project.transcripts.import_file(path), ImportRejected, SECRET)
        refused_now = error is not None
    if refused_now:
        assert project_state(project) == before
    else:
        assert project.counts()["transcripts"] == before["counts"]["transcripts"] + 1


# -- REFI-QDA -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def refi_seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, bytes]]:
    """A .qdpx and a .qdc exported from a small study: two participants, codes, codings and memos."""
    folder = tmp_path_factory.mktemp("refi-seed")
    project, _ = Project.create(
        folder / "study", name="Seed", coder="Ailsa", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    with project:
        project.transcripts.import_file(
            write_txt(folder / "in", "one.txt", TEXT), ParticipantFields("Clients", 7)
        )
        project.transcripts.import_file(
            write_txt(folder / "in", "two.txt", "Interviewer: Rota?\r\nP2: Hard \U0001f389 on us.\r\n"),
            ParticipantFields("Justice social workers", 2, format="depth", mode="video"),
        )
        project.codebook.add("Relationships/Listening", colour="#0072B2")
        project.codebook.add("Workload", description="Caseloads")
        text = project.transcripts.text("one")
        start = text.index("she came")
        coding = project.codings.add("one", start, start + 18, "Relationships/Listening")[0]
        project.codings.add("two", 0, 12, "Workload")
        project.memos.save("coding", coding.uuid, "Key passage.")
        project.memos.save("project", None, "Overall note.")
        project.memos.save("code", project.codebook.find("Workload").uuid, "Rotas.")
        project.register.dismiss([c.text for c in project.register.suggestions()])
        decide_all(project)  # two participants: their details are rare by design; left as they are
        export_project(project, folder / "seed.qdpx")
        export_codebook(project, folder / "seed.qdc")
    yield Blob((folder / "seed.qdpx").read_bytes()), Blob((folder / "seed.qdc").read_bytes())


Q = f"{{{namespaces.PROJECT_NS}}}"
QDE_TAGS = [
    Q + t
    for t in (
        "Users User CodeBook Codes Code Description Sources TextSource PlainTextContent PlainTextSelection "
        "Coding CodeRef NoteRef Notes Note Cases Case SourceRef Variables Variable VariableValue VariableRef "
        "TextValue IntegerValue Sets Set Links Graphs PictureSource"
    ).split()
]
QDE_FOCUS = [
    Q + t for t in "TextSource PlainTextSelection Coding Case Code IntegerValue TextValue Note".split()
]
QDE_ATTRIBUTES = (
    "guid name startPosition endPosition targetGUID creatingUser plainTextPath color isCodable "
    "creationDateTime typeOfVariable creatingUserGUID"
).split()
_GUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def guids_in(data: bytes) -> list[str]:
    return sorted({m.group().decode() for m in _GUID.finditer(data)})


def qdpx_inputs(seed: bytes) -> st.SearchStrategy[bytes]:
    def xml(name: str, data: bytes) -> st.SearchStrategy[bytes] | None:
        if not name.endswith(".qde"):
            return None
        values = [*guids_in(data), "internal://missing.txt", "sources/one.txt", "rgb(1,2,3)", "#12345678"]
        return mutated_xml(
            data, tags=QDE_TAGS, attributes=QDE_ATTRIBUTES, values=values, focus=QDE_FOCUS, max_ops=6
        )

    return mutated_zip(seed, xml=xml, extra_names=["project.qde", "sources/extra.txt"])


@fuzz_settings(40)
@given(data=st.data())
def test_qdpx_import(refi_seeds: tuple[bytes, bytes], tmp_path: Path, data: st.DataObject) -> None:
    """A new project from a .qdpx: complete, or no folder at all (and no half-built one beside it)."""
    source = tmp_path / f"{unique('in')}.qdpx"
    source.write_bytes(data.draw(qdpx_inputs(refi_seeds[0])))
    folder = tmp_path / unique("made")

    def run() -> Project:
        made, _recovery, _report = import_qdpx(
            source, folder, coder="Ailsa", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
        )
        return made

    made, error = call_importer(run, JswError, SECRET)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{folder.name}.")]
    assert leftovers == []
    if error is not None:
        assert not folder.exists()
    else:
        with made:
            assert made.integrity_problems() == []


@fuzz_settings(40)
@given(data=st.data())
def test_qdc_import(
    refi_seeds: tuple[bytes, bytes], project: Project, tmp_path: Path, data: st.DataObject
) -> None:
    """A codebook into an existing project (which already holds some of its codes, and a name it uses)."""
    seed = refi_seeds[1]
    if not project.codebook.all():
        project.codebook.add("Workload/Other")
        import_qdc(project, write_bytes(tmp_path / "seed.qdc", seed))
    values = [*guids_in(seed), "rgb(300,0,0)", "#ABC", "false"]
    qdc_tags = [
        f"{{{namespaces.CODEBOOK_NS}}}{t}" for t in ("Codes", "Code", "Description", "NoteRef", "Sets", "Set")
    ]
    hostile = mutated_xml(
        seed, tags=qdc_tags, attributes=["guid", "name", "color", "isCodable"], values=values
    )
    path = write_bytes(tmp_path / f"{unique('book')}.qdc", data.draw(hostile | mutated_bytes(seed)))
    before = project_state(project)
    _report, error = call_importer(lambda: import_qdc(project, path), ImportRejected, SECRET)
    if error is not None:
        assert project_state(project) == before


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- what fuzzing found, kept as plain examples -----------------------------------------------------------


def test_the_hang_guard_stops_a_stuck_call() -> None:
    """The guard every fuzz example runs under: a call still running after its budget fails."""
    with pytest.raises(Hung), time_budget(0.2):
        while True:
            pass


@pytest.mark.parametrize(
    ("member", "xml"),
    [
        ("_rels/.rels", b"<Relationships/>"),  # the package's relationships without their namespace
        ("[Content_Types].xml", b"<Types/>"),
        (
            "word/_rels/document.xml.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/styles"/></Relationships>',  # a relationship without a target
        ),
    ],
)
def test_a_package_part_python_docx_cannot_follow_is_damaged(tmp_path: Path, member: str, xml: bytes) -> None:
    path = write_bytes(tmp_path / "odd.docx", rezip(docx_bytes("Interviewer: hello"), replace={member: xml}))
    assert "is damaged or is not a Word document" in reject(path)


PROJECT_NS = namespaces.PROJECT_NS
REPEATED = "9a5c6b7d-8e9f-4a0b-9c2d-d4e5f6a7b8c9"
NUMBER_VARIABLE = "0b7d4a3e-2c1f-4e59-9a3b-6f2d8c1e0a11"


def _case(number: str, source: str | None = None, guid: str | None = None) -> str:
    refs = f'<SourceRef targetGUID="{source}"/>' if source else ""
    return (
        f'<Case guid="{guid or REPEATED}" name="Case {number}"><VariableValue>'
        f'<VariableRef targetGUID="{NUMBER_VARIABLE}"/><IntegerValue>{number}</IntegerValue>'
        f"</VariableValue>{refs}</Case>"
    )


def test_records_that_repeat_a_guid_each_keep_their_own(tmp_path: Path) -> None:
    """Two sources and two cases under one GUID: each source keeps its own text, each case is a participant."""
    first, second = "c0ffee00-0000-4000-8000-000000000001", "c0ffee00-0000-4000-8000-000000000002"
    sources = "".join(
        f'<TextSource guid="{REPEATED}" name="{name}" plainTextPath="internal://{name}.txt"/>'
        for name in "ab"
    )
    qde = (
        f'<Project xmlns="{PROJECT_NS}" name="Repeats"><Variables><Variable guid="{NUMBER_VARIABLE}" '
        f'name="Interview number" typeOfVariable="Integer"/></Variables>'
        f"<Cases>{_case('1', guid=first)}{_case('2', guid=first)}{_case('3', guid=second)}</Cases>"
        f"<Sources>{sources}</Sources></Project>"
    )
    path = qdpx(
        tmp_path / "repeats.qdpx",
        {"project.qde": qde, "sources/a.txt": "P1: hello", "sources/b.txt": "P2: bye"},
    )
    project, _recovery, report = import_qdpx(
        path, tmp_path / "made", coder="Ailsa", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    with project:
        assert {t.name: project.transcripts.text_of(t.uuid) for t in project.transcripts.all()} == {
            "a": "P1: hello",
            "b": "P2: bye",
        }
        numbers = [p.interview_number for p in people.participants(project.db) if p.interview_number]
        assert sorted(numbers) == [1, 2, 3]  # the case repeating a GUID is a participant of its own
    assert any("repeats the GUID of another" in line for line in report.repaired)


@pytest.mark.parametrize("number", ["\u00b2", "\u0661\u0662", str(10**23), "0", "-4"])
def test_an_interview_number_that_is_not_a_plain_storable_number_stays_an_attribute(
    tmp_path: Path, number: str
) -> None:
    """ "²" and Arabic-Indic digits pass str.isdigit() but not int(); 10**23 does not fit SQLite."""
    qde = (
        f'<Project xmlns="{PROJECT_NS}" name="Numbers"><Variables><Variable guid="{NUMBER_VARIABLE}" '
        f'name="Interview number" typeOfVariable="Integer"/></Variables><Cases>{_case(number)}</Cases></Project>'
    )
    path = qdpx(tmp_path / "numbers.qdpx", {"project.qde": qde})
    project, _recovery, _report = import_qdpx(
        path, tmp_path / "made", coder="Ailsa", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    with project:
        (participant,) = people.participants(project.db)
    assert participant.interview_number is None
    assert participant.attributes["Interview number"] == number


@pytest.mark.parametrize("encoding", ["ttf-8", "Shift_JIS", "rot13"])
def test_a_codebook_declaring_an_encoding_the_parser_lacks_is_refused(
    project: Project, tmp_path: Path, encoding: str
) -> None:
    """Python's XML parser answers these with LookupError or ValueError, which used to escape."""
    path = write_bytes(
        tmp_path / "odd.qdc", f'<?xml version="1.0" encoding="{encoding}"?><CodeBook/>'.encode()
    )
    before = project_state(project)
    with pytest.raises(ImportRejected, match="declares a text encoding that cannot be read"):
        import_qdc(project, path)
    assert project_state(project) == before
    qde = f'<?xml version="1.0" encoding="{encoding}"?><Project xmlns="{PROJECT_NS}"/>'
    with pytest.raises(ImportRejected, match="declares a text encoding that cannot be read"):
        import_qdpx(
            qdpx(tmp_path / "odd.qdpx", {"project.qde": qde}),
            tmp_path / "made",
            coder="A",
            passphrase=PASSPHRASE,
        )
    assert not (tmp_path / "made").exists()
