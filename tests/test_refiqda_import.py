"""REFI-QDA import (issue 6, items 2-4): the NVivo sample, the standard's examples, the README's
pitfalls as small crafted files, hostile archives, and .qdc codebooks into existing projects."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from jswcoder.errors import ImportRejected
from jswcoder.project import Project
from jswcoder.refiqda import archive, import_project
from jswcoder.refiqda.export_project import export_project
from jswcoder.refiqda.import_codebook import import_qdc
from jswcoder.refiqda.import_project import import_qdpx
from jswcoder.refiqda.report import ImportReport
from tests.conftest import FAST_KDF, PASSPHRASE, make_project
from tests.test_refiqda_export import study

__all__ = ["study"]  # a fixture, used by name

REFI = Path(__file__).resolve().parent.parent.parent / "shared" / "refi-qda"
NVIVO = REFI / "samples" / "nvivo-win-12.6.qdpx"
NS = "urn:QDA-XML:project:1.0"
WORD = re.compile(r"\w")


def on_word_boundary(text: str, offset: int) -> bool:
    """A selection edge is on a word boundary unless it splits a word (a \\w character on each side)."""
    if offset <= 0 or offset >= len(text):
        return True
    return not (WORD.match(text[offset - 1]) and WORD.match(text[offset]))


def load(path: Path, folder: Path) -> tuple[Project, ImportReport]:
    project, _recovery, report = import_qdpx(
        path, folder, coder="Ailsa", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    return project, report


@pytest.fixture
def opened() -> Iterator[list[Project]]:
    projects: list[Project] = []
    yield projects
    for project in projects:
        project.close()


def qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # as named: ZipFile.write would tidy hostile names
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return path


GUIDS = {
    "user": "0b7d4a3e-2c1f-4e59-9a3b-6f2d8c1e0a11",
    "parent": "5c1e2d3f-4a5b-4c6d-8e7f-90a1b2c3d4e5",
    "child": "6d2f3e4a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
    "source": "9a5c6b7d-8e9f-4a0b-9c2d-d4e5f6a7b8c9",
}


def qde(sources: str, *, ns: str = NS, codes: str | None = None, tail: str = "") -> str:
    codes = codes or (
        f'<Code guid="{GUIDS["parent"]}" name="Barriers" isCodable="true">'
        f'<Code guid="{GUIDS["child"]}" name="Cost" isCodable="true"/></Code>'
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="Crafted">'
        f'<Users><User guid="{GUIDS["user"]}" name="Ana"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources>{tail}</Project>"
    )


def text_source(path: str, selections: list[tuple[int, int, str]], *, name: str = ' name="P01"') -> str:
    body = "".join(
        f'<PlainTextSelection guid="{i:08d}-0000-4000-8000-000000000000" startPosition="{s}" endPosition="{e}">'
        f'<Coding guid="{i:08d}-1111-4000-8000-000000000000" creatingUser="{GUIDS["user"]}">'
        f'<CodeRef targetGUID="{GUIDS[code]}"/></Coding></PlainTextSelection>'
        for i, (s, e, code) in enumerate(selections, 1)
    )
    return f'<TextSource guid="{GUIDS["source"]}"{name} plainTextPath="{path}">{body}</TextSource>'


def coded(project: Project) -> list[tuple[str, str]]:
    return [(passage.code_path, passage.text) for passage in project.codings.passages()]


# -- the real NVivo export -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nvivo_selections() -> dict[str, str]:
    """Coding GUID -> the coded text, cut the way NVivo counts: UTF-16 units of the file as written
    (CRLF line ends), without the byte order mark; line ends then made LF like a stored transcript."""
    if not NVIVO.is_file():
        pytest.skip("the NVivo sample is not in ../shared/refi-qda")
    expected: dict[str, str] = {}
    with zipfile.ZipFile(NVIVO) as sample:
        root = ElementTree.fromstring(sample.read("project.qde"))
        for source in root.iter(f"{{{NS}}}TextSource"):
            member = "Sources/" + source.attrib["plainTextPath"].removeprefix("internal://")
            units = sample.read(member).decode("utf-8-sig").encode("utf-16-le")
            for selection in source.iter(f"{{{NS}}}PlainTextSelection"):
                start, end = int(selection.attrib["startPosition"]), int(selection.attrib["endPosition"])
                cut = units[2 * start : 2 * end].decode("utf-16-le", errors="replace").replace("\r\n", "\n")
                for coding in selection.iter(f"{{{NS}}}Coding"):
                    expected[coding.attrib["guid"]] = cut
    return expected


def test_nvivo_sample_lands_on_words_and_says_how_it_was_read(
    tmp_path: Path, opened: list[Project], nvivo_selections: dict[str, str]
) -> None:
    project, report = load(NVIVO, tmp_path / "nvivo")
    opened.append(project)
    assert project.counts()["codings"] == 303 == len(nvivo_selections)
    assert project.counts()["codes"] == 152
    assert report.positions is not None and report.positions.convention == "utf16-crlf"
    assert report.positions.on_word_boundaries["utf16-crlf"] >= 300
    assert "utf16-crlf" in "\n".join(report.lines())
    landed = 0
    for coding in project.codings.passages():
        text = project.transcripts.text_of(coding.coding.transcript_uuid)
        landed += on_word_boundary(text, coding.coding.start) and on_word_boundary(text, coding.coding.end)
        assert coding.text == nvivo_selections[coding.coding.uuid]  # the GUID is kept, the words match
    assert landed >= 300
    assert any("'Sources'" in line for line in report.repaired)


# -- the standard's examples ----------------------------------------------------------------------------


def test_minimal_example_imports_with_its_identities(tmp_path: Path, opened: list[Project]) -> None:
    project, report = load(REFI / "examples" / "minimal.qdpx", tmp_path / "minimal")
    opened.append(project)
    assert coded(project) == [("Barriers/Cost", "It costs too much.")]
    transcript = project.transcripts.find("P01 interview")
    assert transcript.uuid == GUIDS["source"]
    participant = project.transcripts.participant(transcript)
    assert participant is not None and participant.uuid == "8f4b5a6c-7d8e-4f9a-8b1c-c3d4e5f6a7b8"
    assert participant.attributes["Age"] == "42"
    (memo,) = project.memos.all()
    assert memo.target_kind == "coding" and memo.target_uuid == "bc7e8d9f-0a1b-4c2d-9e4f-f6a7b8c9d0e1"
    assert "Price is the first barrier mentioned." in memo.text
    assert project.codings.passages()[0].coder == "Ana"
    assert any("set" in line for line in report.dropped)


def test_minimal_codebook_keeps_guids_and_is_idempotent(project: Project) -> None:
    project.codebook.add("Own theme")
    first = import_qdc(project, REFI / "examples" / "minimal.qdc")
    assert first.counts["codes"] == 2
    cost = project.codebook.find("Barriers/Cost")
    assert cost.uuid == GUIDS["child"] and cost.colour == "#E06C75"
    assert cost.description == "Mentions of price or affordability"
    before = project.codebook.all()
    again = import_qdc(project, REFI / "examples" / "minimal.qdc")
    assert again.counts["codes"] == 0 and again.counts["codes already present"] == 2
    assert project.codebook.all() == before


def test_codebook_name_clash_is_reported_not_doubled(project: Project, tmp_path: Path) -> None:
    project.codebook.add("Barriers/Cost")
    report = import_qdc(project, REFI / "examples" / "minimal.qdc")
    assert [code.path for code in project.codebook.all()] == ["Barriers", "Barriers/Cost"]
    assert any("'Barriers'" in line for line in report.dropped)
    assert any("'Barriers/Cost'" in line for line in report.dropped)


# -- the README's pitfalls, each in a small crafted file ------------------------------------------------


def test_qde_named_after_the_project_and_capital_sources_with_root_entry(
    tmp_path: Path, opened: list[Project]
) -> None:
    text = "We could not afford it.\n"
    path = qdpx(
        tmp_path / "atlas.qdpx",
        {
            "My study.qde": qde(text_source(f"internal://{GUIDS['source']}.txt", [(13, 19, "child")])),
            "Sources/.root": b"",
            f"Sources/{GUIDS['source']}.txt": text,
        },
    )
    project, report = load(path, tmp_path / "p")
    opened.append(project)
    assert coded(project) == [("Barriers/Cost", "afford")]
    assert any("My study.qde" in line for line in report.repaired)


def test_drifted_namespace_colours_and_empty_sets_in_a_codebook(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "wild.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes>'
        f'<Code guid="{{{GUIDS["parent"].upper()}}}" name="Barriers" isCodable="false" color="rgb(255, 0, 128)">'
        f'<Code guid="{GUIDS["child"]}" name="Cost" isCodable="true" color="#E06C75FF"/></Code>'
        '<Code guid="11111111-2222-4333-8444-555555555555" name="Odd" isCodable="true" color="teal"/>'
        "</Codes><Sets/></CodeBook>",
        encoding="utf-8",
    )
    report = import_qdc(project, path)
    colours = {code.path: code.colour for code in project.codebook.all()}
    assert colours == {"Barriers": "#FF0080", "Barriers/Cost": "#E06C75", "Odd": None}
    assert project.codebook.find("Barriers").uuid == GUIDS["parent"]  # braces and case normalised
    repaired = "\n".join(report.repaired)
    assert "urn:QDA-XML:codebook:0:4" in repaired and "rgb()" in repaired and "alpha" in repaired
    assert "empty Sets" in repaired and "not codable" in repaired
    assert any("'teal'" in line for line in report.dropped)


def test_codable_parent_keeps_its_own_codings(tmp_path: Path, opened: list[Project]) -> None:
    text = "Costs rise. Travel is far."
    members = {
        "project.qde": qde(
            text_source(f"internal://{GUIDS['source']}.txt", [(0, 11, "parent"), (0, 5, "child")])
        ),
        f"sources/{GUIDS['source']}.txt": text,
    }
    project, _report = load(qdpx(tmp_path / "parent.qdpx", members), tmp_path / "p")
    opened.append(project)
    assert sorted(coded(project)) == [("Barriers", "Costs rise."), ("Barriers/Cost", "Costs")]


def test_bare_file_name_and_missing_source_name(tmp_path: Path, opened: list[Project]) -> None:
    members = {
        "project.qde": qde(text_source("interview.txt", [(0, 4, "child")], name="")),
        "sources/interview.txt": "Cash was short.",
    }
    project, report = load(qdpx(tmp_path / "bare.qdpx", members), tmp_path / "p")
    opened.append(project)
    assert coded(project) == [("Barriers/Cost", "Cash")]
    assert [t.name for t in project.transcripts.all()] == ["Source 1"]
    assert any("'interview.txt'" in line for line in report.repaired)
    assert any("without a name" in line for line in report.repaired)


# "Bus 🚌 fares\r\ncost 😞 too much\r\n" with a BOM, and where "fares" and "too much" sit in each reading:
# code points of the LF text: fares 6-11, "too much" 19-27; UTF-16 units (emoji 2, LF 1): 7-12, 21-29;
# UTF-16 units with CRLF as 2: 7-12, 22-30.
EMOJI_TEXT = "\ufeffBus \U0001f68c fares\r\ncost \U0001f61e too much\r\n"


@pytest.mark.parametrize(
    ("positions", "convention"),
    [
        ([(6, 11), (19, 27)], "codepoints"),
        ([(7, 12), (21, 29)], "utf16"),
        ([(7, 12), (22, 30)], "utf16-crlf"),
    ],
)
def test_each_position_convention_is_detected(
    tmp_path: Path, opened: list[Project], positions: list[tuple[int, int]], convention: str
) -> None:
    selections = [(start, end, "child") for start, end in positions]
    members = {
        "project.qde": qde(text_source(f"internal://{GUIDS['source']}.txt", selections)),
        f"sources/{GUIDS['source']}.txt": EMOJI_TEXT.encode("utf-8"),
    }
    project, report = load(qdpx(tmp_path / "emoji.qdpx", members), tmp_path / "p")
    opened.append(project)
    assert report.positions is not None and report.positions.convention == convention
    assert [text for _path, text in coded(project)] == ["fares", "too much"]
    assert project.transcripts.text("P01").startswith("Bus")  # the BOM is not stored


def test_non_text_sources_and_stray_codings_are_listed(tmp_path: Path, opened: list[Project]) -> None:
    sources = text_source(f"internal://{GUIDS['source']}.txt", [(0, 4, "child"), (0, 400, "child")]) + (
        '<PDFSource guid="22222222-2222-4222-8222-222222222222" name="Scan" path="internal://x.pdf"/>'
        '<AudioSource guid="33333333-3333-4333-8333-333333333333" name="Tape" path="internal://y.mp3"/>'
    )
    members = {"project.qde": qde(sources), f"sources/{GUIDS['source']}.txt": "Cash was short."}
    project, report = load(qdpx(tmp_path / "mixed.qdpx", members), tmp_path / "p")
    opened.append(project)
    assert coded(project) == [("Barriers/Cost", "Cash")]
    dropped = "\n".join(report.dropped)
    assert (
        "PDF source 'Scan'" in dropped and "audio source 'Tape'" in dropped and "outside its text" in dropped
    )


def test_inline_plain_text_content(tmp_path: Path, opened: list[Project]) -> None:
    source = (
        f'<TextSource guid="{GUIDS["source"]}" name="Inline"><PlainTextContent>Cash was short.</PlainTextContent>'
        f'<PlainTextSelection guid="{GUIDS["user"]}" startPosition="9" endPosition="14">'
        f'<Coding guid="{GUIDS["parent"]}"><CodeRef targetGUID="{GUIDS["child"]}"/></Coding>'
        "</PlainTextSelection></TextSource>"
    )
    codes = f'<Code guid="{GUIDS["child"]}" name="Cost" isCodable="true"/>'
    project, _report = load(
        qdpx(tmp_path / "inline.qdpx", {"project.qde": qde(source, codes=codes)}), tmp_path / "p"
    )
    opened.append(project)
    assert coded(project) == [("Cost", "short")]


# -- hostile archives ------------------------------------------------------------------------------------

GOOD = {"project.qde": qde(""), "sources/a.txt": "text"}


def refused(tmp_path: Path, path: Path) -> str:
    destination = tmp_path / "new project"
    with pytest.raises(ImportRejected) as caught:
        load(path, destination)
    assert not destination.exists()
    assert not [p for p in tmp_path.iterdir() if ".importing-" in p.name]
    return caught.value.reason


def test_path_traversal_is_refused(tmp_path: Path) -> None:
    reason = refused(tmp_path, qdpx(tmp_path / "t.qdpx", {**GOOD, "sources/../../x": "x"}))
    assert "outside the archive" in reason and "'..'" in reason


def test_absolute_path_is_refused(tmp_path: Path) -> None:
    reason = refused(tmp_path, qdpx(tmp_path / "a.qdpx", {**GOOD, "/etc/x": "x"}))
    assert "absolute path" in reason


def test_symbolic_link_is_refused(tmp_path: Path) -> None:
    path = qdpx(tmp_path / "l.qdpx", GOOD)
    with zipfile.ZipFile(path, "a") as out:
        link = zipfile.ZipInfo("sources/b.txt")
        link.external_attr = 0o120777 << 16
        out.writestr(link, "/etc/passwd")
    assert "symbolic link" in refused(tmp_path, path)


def test_zip_bomb_by_ratio_is_refused(tmp_path: Path) -> None:
    reason = refused(
        tmp_path, qdpx(tmp_path / "bomb.qdpx", {**GOOD, "sources/b.txt": b"\0" * (4 * 1024 * 1024)})
    )
    assert "zip bomb" in reason


def test_too_large_when_unpacked_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1000)
    reason = refused(tmp_path, qdpx(tmp_path / "big.qdpx", {**GOOD, "sources/b.txt": "x" * 2000}))
    assert "more than 1000 bytes when unpacked" in reason


def test_too_many_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    many = {f"sources/{n}.txt": "x" for n in range(6)}
    assert "too many parts" in refused(tmp_path, qdpx(tmp_path / "many.qdpx", {**GOOD, **many}))


def test_external_entity_is_refused(tmp_path: Path) -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>'
    assert "entities" in refused(tmp_path, qdpx(tmp_path / "xxe.qdpx", {"project.qde": xxe}))


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY l0 "ha">{laughs}]><Project name="&l9;"/>'
    assert "entities" in refused(tmp_path, qdpx(tmp_path / "lol.qdpx", {"project.qde": bomb}))


def test_not_a_zip_or_no_qde_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"not a zip at all")
    assert "not a REFI-QDA project" in refused(tmp_path, junk)
    assert "no .qde" in refused(tmp_path, qdpx(tmp_path / "empty.qdpx", {"sources/a.txt": "x"}))


def test_failure_while_storing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise ImportRejected(tmp_path / "x.qdpx", "broke on purpose")

    monkeypatch.setattr(import_project, "add_memos", broken)
    assert refused(tmp_path, REFI / "examples" / "minimal.qdpx") == "broke on purpose"


def test_existing_folder_is_not_overwritten(tmp_path: Path) -> None:
    make_project(tmp_path / "taken")[0].close()
    with pytest.raises(Exception, match="already exists"):
        load(REFI / "examples" / "minimal.qdpx", tmp_path / "taken")


# -- command line -----------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from jswcoder.cli import main

    code = main(["--no-keychain", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_qdpx_import_creates_the_project_and_prints_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "from nvivo"
    code, out, err = run(
        capsys,
        "qdpx",
        "import",
        str(REFI / "examples" / "minimal.qdpx"),
        str(folder),
        "--coder",
        "Ailsa",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["name"] == "Interview study" and data["recovery_key"]
    assert data["report"]["counts"]["codings"] == 1
    assert data["report"]["positions"]["convention"] == "codepoints"
    with Project.open(folder, passphrase=PASSPHRASE, use_keychain=False) as project:
        assert coded(project) == [("Barriers/Cost", "It costs too much.")]
    code, _out, err = run(
        capsys, "qdpx", "import", str(tmp_path / "missing.qdpx"), str(tmp_path / "x"), "--coder", "A"
    )
    assert code == 1 and "missing.qdpx: was not found" in err and not (tmp_path / "x").exists()


def test_cli_qdc_import_into_an_existing_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path / "study")[0].close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    code, out, err = run(
        capsys, "qdc", "import", str(REFI / "examples" / "minimal.qdc"), str(tmp_path / "study")
    )
    assert code == 0, err
    assert "codes: 2" in out and "not codable" in out
    code, out, err = run(
        capsys, "qdc", "import", str(REFI / "examples" / "minimal.qdc"), str(tmp_path / "study")
    )
    assert code == 0 and "codes: 0" in out and "codes already present: 2" in out


# -- round trip through this app's own export ---------------------------------------------------------------


def test_round_trip_keeps_codes_participants_codings_and_memos(
    study: Project, tmp_path: Path, opened: list[Project]
) -> None:
    out = tmp_path / "study.qdpx"
    export_project(study, out, originals=True)
    again, report = load(out, tmp_path / "again")
    opened.append(again)

    def codes(project: Project) -> list[tuple[str, str | None, str, str, str | None]]:
        return [(c.uuid, c.parent_uuid, c.path, c.description, c.colour) for c in project.codebook.all()]

    def cases(project: Project) -> dict[str, object]:
        return {t.uuid: (t.name, project.transcripts.participant(t)) for t in project.transcripts.all()}

    def codings(project: Project) -> dict[str, tuple[str, str, str, str]]:
        return {
            p.coding.uuid: (p.transcript, p.code_path, p.coder, p.text) for p in project.codings.passages()
        }

    def memos(project: Project) -> set[tuple[str, str | None, str]]:
        return {(m.target_kind, m.target_uuid, m.text) for m in project.memos.all()}

    assert codes(again) == codes(study)
    assert cases(again) == cases(study)
    assert codings(again) == codings(study) and len(codings(study)) == 5
    assert memos(again) == memos(study)
    for transcript in study.transcripts.all():
        assert again.transcripts.text_of(transcript.uuid) == study.transcripts.text_of(transcript.uuid)
    assert report.positions is not None and report.positions.convention == "codepoints"
    assert report.dropped == []


def test_absurdly_deep_code_tree_is_refused(project: Project, tmp_path: Path) -> None:
    deep = tmp_path / "deep.qdc"
    nested = "".join(
        f'<Code guid="{n:08d}-0000-4000-8000-000000000000" name="L{n}" isCodable="true">' for n in range(200)
    )
    deep.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{nested}{"</Code>" * 200}</Codes></CodeBook>'
    )
    with pytest.raises(ImportRejected, match="nested more than 50 levels"):
        import_qdc(project, deep)
    assert project.codebook.all() == []


def test_a_source_whose_text_is_missing_is_listed(tmp_path: Path, opened: list[Project]) -> None:
    members = {"project.qde": qde(text_source("internal://gone.txt", [(0, 4, "child")]))}
    project, report = load(qdpx(tmp_path / "gone.qdpx", members), tmp_path / "p")
    opened.append(project)
    assert project.transcripts.all() == [] and project.counts()["codes"] == 2
    assert any("'P01': its text is not in the archive" in line for line in report.dropped)


def test_a_source_larger_than_a_transcript_may_be_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 10)
    members = {"project.qde": qde(text_source("internal://a.txt", [])), "sources/a.txt": "Eleven chars"}
    assert "larger than a transcript may be" in refused(tmp_path, qdpx(tmp_path / "big source.qdpx", members))


def test_document_variables_as_maxqda_and_quirkos_write_them(tmp_path: Path, opened: list[Project]) -> None:
    """MAXQDA keeps a document's variables in its TextSource, Quirkos in an unnamed case of that one source
    (QualCoder's refi.py reads both): each becomes the participant of its transcript, named after it."""
    gender, age = "7e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b", "8f2a3b4c-5d6e-4f7a-9b0c-1d2e3f4a5b6c"
    other = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"

    def values(*pairs: tuple[str, str]) -> str:
        return "".join(
            f'<VariableValue><VariableRef targetGUID="{ref}"/><TextValue>{value}</TextValue></VariableValue>'
            for ref, value in pairs
        )

    maxqda = text_source("internal://a.txt", [(0, 4, "child")], name=' name="Interview A.txt"').replace(
        "</TextSource>", values((gender, "female"), (age, "30-39")) + "</TextSource>"
    )
    quirkos = f'<TextSource guid="{other}" name="Interview B" plainTextPath="internal://b.txt"/>'
    variables = (
        f'<Variables><Variable guid="{gender}" name="Gender" typeOfVariable="Text"/>'
        f'<Variable guid="{age}" name="Age group" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{GUIDS["parent"][:-1]}0">{values((gender, "male"))}'
        f'<SourceRef targetGUID="{other}"/></Case></Cases>'
    )
    document = qde(maxqda + quirkos).replace("<Sources>", variables + "<Sources>")
    archive = {"project.qde": document, "sources/a.txt": "Cost was high.", "sources/b.txt": "Fine."}
    project, report = load(qdpx(tmp_path / "maxqda.qdpx", archive), tmp_path / "p")
    opened.append(project)
    found = {}
    for transcript in project.transcripts.all():
        participant = project.transcripts.participant(transcript)
        assert participant is not None, transcript.name
        found[transcript.name] = participant.attributes
    assert found == {
        "Interview A": {"Gender": "female", "Age group": "30-39", "case": "Interview A"},
        "Interview B": {"Gender": "male", "case": "Interview B"},
    }
    assert report.counts["participants"] == 2
    assert not report.dropped


def test_an_interview_number_too_long_for_a_number_is_kept_as_an_attribute(
    tmp_path: Path, opened: list[Project]
) -> None:
    """Found by the fuzzer: Python refuses int() of over 4,300 digits with a ValueError, which escaped
    the import as a crash instead of a plain reading."""
    number, digits = "7e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b", "9" * 5000
    source = text_source("internal://a.txt", [(0, 4, "child")]).replace(
        "</TextSource>",
        f'<VariableValue><VariableRef targetGUID="{number}"/><TextValue>{digits}</TextValue></VariableValue>'
        "</TextSource>",
    )
    variables = (
        f'<Variables><Variable guid="{number}" name="Interview number" typeOfVariable="Text"/></Variables>'
    )
    document = qde(source).replace("<Sources>", variables + "<Sources>")
    archive = {"project.qde": document, "sources/a.txt": "Cost was high."}
    project, _report = load(qdpx(tmp_path / "long.qdpx", archive), tmp_path / "p")
    opened.append(project)
    (transcript,) = project.transcripts.all()
    participant = project.transcripts.participant(transcript)
    assert participant is not None
    assert participant.interview_number is None
    assert participant.attributes["Interview number"] == digits
