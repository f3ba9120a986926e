"""REFI-QDA export (jswcoder.refiqda): real .qdpx and .qdc files from real encrypted projects, read back
with the standard library and checked against the standard's schemas and against the project."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from jswcoder.errors import InvalidInput
from jswcoder.model import Coding
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.refiqda.export_codebook import export_codebook
from jswcoder.refiqda.export_project import export_project
from jswcoder.reports import LeaksInFile
from jswcoder.resources import REFI_QDA, resource
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import PASSPHRASE, corpus_files, make_project, write_txt
from tests.indirect_decided import decide_all
from tests.test_cli import Cli
from tests.test_reports import rose_in_a_theme_name

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "refi-qda"
NS = {"q": namespaces.PROJECT_NS}
CB = {"c": namespaces.CODEBOOK_NS}
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Characters outside the BMP (U+1D518, U+1F600, U+1F44D U+1F3FD, U+1F389) before and inside coded
# passages: a count in UTF-16 units would put every selection after them too far on.
EMOJI_TEXT = (
    "Interviewer: How was it? \U0001f600\n"
    "P1: The \U0001d518nit was \U0001f44d\U0001f3fd great; my worker listened.\n"
    "P1: Café staff \u2014 naïve but kind \U0001f389.\n"
)
PLAIN_TEXT = "Interviewer: And the rota?\nP2: Morag runs the rota now, every week.\n"


def code(project: Project, transcript: str, phrase: str, path: str) -> Coding:
    text = project.transcripts.text(transcript)
    start = text.index(phrase)
    return project.codings.add(transcript, start, start + len(phrase), path)[0]


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    """Two transcripts of two participants, a code tree with a colour, codings, and every kind of memo."""
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "emoji.txt", EMOJI_TEXT),
        ParticipantFields("Client", 7, format="depth", mode="video", council_area="Fife"),
    )
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "rota.txt", PLAIN_TEXT), ParticipantFields("Justice social workers", 2)
    )
    project.codebook.add("Relationships/Listening", colour="#0072B2")
    project.codebook.add("Relationships/Staff")
    project.codebook.add("Workload", description="Caseloads and rotas")
    listened = code(project, "emoji", "my worker listened", "Relationships/Listening")
    code(project, "emoji", "Café staff", "Relationships/Staff")
    code(project, "emoji", "kind \U0001f389", "Relationships")
    code(project, "emoji", "\U0001d518nit was \U0001f44d\U0001f3fd great", "Relationships")
    code(project, "rota", "Morag runs the rota", "Workload")
    project.memos.save("project", None, "Overall: people feel heard.")
    project.memos.save("code", project.codebook.find("Workload").uuid, "Rotas come up often.")
    project.memos.save("transcript", project.transcripts.find("emoji").uuid, "Good rapport.")
    project.memos.save("coding", listened.uuid, "The key passage.")
    project.register.dismiss([c.text for c in project.register.suggestions()])  # reviewed
    decide_all(project)  # two participants: their details fit fewer than k (left as they are)
    return project


class Qdpx:
    """An exported archive, read back: member names, project.qde parsed, and the source texts."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.names = archive.namelist()
            self.raw = {name: archive.read(name) for name in self.names}
        self.qde = self.raw["project.qde"]
        self.root = ET.fromstring(self.qde)

    def all(self, path: str) -> list[ET.Element]:
        return self.root.findall(path, NS)

    def source_text(self, source: ET.Element) -> str:
        path = source.get("plainTextPath", "")
        assert path.startswith("internal://")
        return self.raw[f"sources/{path.removeprefix('internal://')}"].decode("utf-8")

    def selections(self) -> list[tuple[str, str, str]]:
        """(coding GUID, code GUID, selected text sliced by code points) for every selection."""
        found = []
        for source in self.all(".//q:TextSource"):
            text = self.source_text(source)
            for selection in source.findall("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
                (coding,) = selection.findall("q:Coding", NS)
                (ref,) = coding.findall("q:CodeRef", NS)
                found.append((coding.get("guid", ""), ref.get("targetGUID", ""), text[start:end]))
        return found

    def text(self) -> str:
        """Everything the archive holds as text: each member decoded, and the XML's strings unescaped."""
        pieces = [data.decode("utf-8") for data in self.raw.values()]
        for element in self.root.iter():
            pieces += [*element.attrib.values(), element.text or ""]
        return "\n".join(pieces)


def guids(root: ET.Element) -> list[str]:
    return [v for e in root.iter() for k, v in sorted(e.attrib.items()) if k in {"guid", "targetGUID"}]


# -- conformance ----------------------------------------------------------------------------------------


def test_the_packaged_schemas_are_the_standards_and_accept_its_examples() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"the REFI-QDA material is not at {SHARED}")
    schemas = resource(REFI_QDA)
    for name in ("Project.xsd", "Codebook.xsd"):
        assert (schemas / name).read_bytes() == (SHARED / name).read_bytes()
    namespaces.validate("project", (SHARED / "examples" / "minimal" / "project.qde").read_bytes())
    namespaces.validate("codebook", (SHARED / "examples" / "minimal.qdc").read_bytes())


def test_validation_catches_a_broken_document(study: Project, tmp_path: Path) -> None:
    export_project(study, tmp_path / "out.qdpx", originals=True)
    qde = Qdpx(tmp_path / "out.qdpx").qde
    namespaces.validate("project", qde)  # the control: as exported, it conforms
    broken = {
        "a colour with alpha": qde.replace(b'color="#0072B2"', b'color="#0072B2FF"', 1),
        "a code without isCodable": qde.replace(b' isCodable="true"', b"", 1),
        "Users after CodeBook": re.sub(
            rb"(<Users>.*?</Users>\s*)(<CodeBook>.*?</CodeBook>)", rb"\2\1", qde, count=1, flags=re.S
        ),
        "a drifted namespace": qde.replace(b"urn:QDA-XML:project:1.0", b"urn:QDA-XML:project:0:4", 1),
    }
    for what, document in broken.items():
        assert document != qde, what
        with pytest.raises(namespaces.NotConformant) as failed:
            namespaces.validate("project", document)
        assert failed.value.problems, what
        assert "0072B2FF" not in str(failed.value)  # a count in the message, never the document's text
    with pytest.raises(namespaces.NotConformant):
        namespaces.validate("codebook", b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Sets/></CodeBook>")
    with pytest.raises(namespaces.NotConformant):  # entities are refused, not expanded
        namespaces.validate("codebook", b"<!DOCTYPE c [<!ENTITY e 'x'>]><CodeBook>&e;</CodeBook>")


def test_the_archive_layout_and_the_sources(study: Project, tmp_path: Path) -> None:
    written = export_project(study, tmp_path / "out.qdpx")
    assert written.anonymised and written.path == tmp_path / "out.qdpx"
    archive = Qdpx(tmp_path / "out.qdpx")
    namespaces.validate("project", archive.qde)
    transcripts = {t.uuid: t for t in study.transcripts.all()}
    assert sorted(archive.names) == sorted(["project.qde", *(f"sources/{u}.txt" for u in transcripts)])
    with zipfile.ZipFile(tmp_path / "out.qdpx") as opened:
        assert all((info.external_attr >> 16) & 0o444 == 0o444 for info in opened.infolist())  # readable
    for source in archive.all("q:Sources/q:TextSource"):
        data = archive.raw[f"sources/{source.get('guid')}.txt"]
        assert not data.startswith(b"\xef\xbb\xbf")  # no BOM
        assert data.decode("utf-8") == study.transcripts.text_of(source.get("guid", ""))  # nothing to replace
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
    assert sorted(s.get("name", "") for s in archive.all("q:Sources/q:TextSource")) == [
        "Client interview 7",
        "Justice social workers interview 2",
    ]  # attributions, never the file names
    assert "emoji.txt" not in archive.qde.decode("utf-8")


def test_each_selection_holds_the_coded_text_counted_in_code_points(study: Project, tmp_path: Path) -> None:
    export_project(study, tmp_path / "out.qdpx")
    archive = Qdpx(tmp_path / "out.qdpx")
    expected = sorted(
        (c.uuid, c.code_uuid, study.transcripts.text_of(c.transcript_uuid)[c.start : c.end])
        for t in study.transcripts.all()
        for c in study.codings.of_transcript(t.uuid)
    )
    assert len(expected) == 5
    assert sorted(archive.selections()) == expected
    # Worked by hand: "Interviewer: How was it? " is 25 code points, U+1F600 and "\n" two more, "P1: The "
    # eight: the non-BMP U+1D518 starts at 35 (in UTF-16 units it would be 36, after the emoji's pair).
    positions = {
        (int(s.get("startPosition", "")), int(s.get("endPosition", "")))
        for s in archive.all(".//q:PlainTextSelection")
    }
    assert (35, 35 + len("Xnit was XX great")) in positions


def test_codebook_users_cases_and_notes(study: Project, tmp_path: Path) -> None:
    export_project(study, tmp_path / "out.qdpx")
    archive = Qdpx(tmp_path / "out.qdpx")
    (user,) = archive.all("q:Users/q:User")
    assert (user.get("guid"), user.get("name")) == (study.coder.uuid, "Ailsa")
    top = archive.all("q:CodeBook/q:Codes/q:Code")
    assert [(c.get("name"), c.get("color")) for c in top] == [
        ("Relationships", "#E69F00"),  # the first palette colour, given to the first top-level code
        ("Workload", "#56B4E9"),
    ]
    children = top[0].findall("q:Code", NS)
    assert [(c.get("name"), c.get("color")) for c in children] == [
        ("Listening", "#0072B2"),  # its own
        ("Staff", "#E69F00"),  # inherited from Relationships, as the app shows it
    ]
    assert top[1].findtext("q:Description", namespaces=NS) == "Caseloads and rotas"
    assert {c.get("guid") for c in archive.all(".//q:Code")} == {c.uuid for c in study.codebook.all()}
    assert all(c.get("isCodable") == "true" for c in archive.all(".//q:Code"))
    variables = {v.get("guid"): v.get("name") for v in archive.all("q:Variables/q:Variable")}
    assert sorted(variables.values()) == [
        "Interview format",
        "Interview mode",
        "Interview number",
        "Participant group",
    ]
    cases = {c.get("name"): c for c in archive.all("q:Cases/q:Case")}
    assert sorted(cases) == ["Client interview 7", "Justice social workers interview 2"]
    client = cases["Client interview 7"]
    values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")]: (v[1].tag.split("}")[1], v[1].text)  # type: ignore[union-attr]
        for v in client.findall("q:VariableValue", NS)
    }
    assert values == {
        "Participant group": ("TextValue", "Client"),
        "Interview number": ("IntegerValue", "7"),
        "Interview format": ("TextValue", "depth"),
        "Interview mode": ("TextValue", "video"),
    }  # no council area: this export is anonymised
    emoji = study.transcripts.find("emoji")
    assert [r.get("targetGUID") for r in client.findall("q:SourceRef", NS)] == [emoji.uuid]
    notes = {n.get("guid"): n for n in archive.all("q:Notes/q:Note")}
    memos = {m.target_kind: m for m in study.memos.all()}
    assert {n.findtext("q:PlainTextContent", namespaces=NS) for n in notes.values()} == {
        m.text for m in memos.values()
    }
    assert [r.get("targetGUID") for r in archive.all("q:NoteRef")] == [memos["project"].uuid]
    workload = next(c for c in top if c.get("name") == "Workload")
    assert [r.get("targetGUID") for r in workload.findall("q:NoteRef", NS)] == [memos["code"].uuid]
    source = next(s for s in archive.all("q:Sources/q:TextSource") if s.get("guid") == emoji.uuid)
    assert [r.get("targetGUID") for r in source.findall("q:NoteRef", NS)] == [memos["transcript"].uuid]
    coding = next(c for c in archive.all(".//q:Coding") if c.get("guid") == memos["coding"].target_uuid)
    assert [r.get("targetGUID") for r in coding.findall("q:NoteRef", NS)] == [memos["coding"].uuid]
    assert coding.get("creatingUser") == study.coder.uuid


def test_repeated_exports_carry_the_same_guids(study: Project, tmp_path: Path) -> None:
    export_project(study, tmp_path / "one.qdpx")
    export_project(study, tmp_path / "two.qdpx")
    one, two = Qdpx(tmp_path / "one.qdpx"), Qdpx(tmp_path / "two.qdpx")
    assert guids(one.root) == guids(two.root)
    assert all(GUID.fullmatch(g) for g in guids(one.root))
    declared = [e.get("guid") for e in one.root.iter() if "guid" in e.attrib]
    assert len(declared) == len(set(declared))  # each element its own GUID
    export_codebook(study, tmp_path / "one.qdc")
    export_codebook(study, tmp_path / "two.qdc")
    assert (tmp_path / "one.qdc").read_bytes() == (tmp_path / "two.qdc").read_bytes()


# -- the codebook ----------------------------------------------------------------------------------------


def test_qdc_holds_the_code_tree(study: Project, tmp_path: Path) -> None:
    written = export_codebook(study, tmp_path / "codes.qdc")
    data = written.path.read_bytes()
    namespaces.validate("codebook", data)
    root = ET.fromstring(data)
    assert root.tag == namespaces.codebook("CodeBook")

    def tree(element: ET.Element) -> list[tuple[str | None, str | None, list[object]]]:
        return [(c.get("guid"), c.get("name"), tree(c)) for c in element.findall("c:Code", CB)]

    codes = {c.path: c.uuid for c in study.codebook.all()}
    assert tree(root.find("c:Codes", CB)) == [  # type: ignore[arg-type]
        (
            codes["Relationships"],
            "Relationships",
            [
                (codes["Relationships/Listening"], "Listening", []),
                (codes["Relationships/Staff"], "Staff", []),
            ],
        ),
        (codes["Workload"], "Workload", []),
    ]


def test_an_empty_codebook_or_a_wrong_file_type_is_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="at least one code"):
        export_codebook(project, tmp_path / "codes.qdc")
    project.codebook.add("Anything")
    with pytest.raises(InvalidInput, match=r"\.qdc"):
        export_codebook(project, tmp_path / "codes.xml")
    with pytest.raises(InvalidInput, match=r"\.qdpx"):
        export_project(project, tmp_path / "project.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]


# -- privacy ---------------------------------------------------------------------------------------------


def _whole_word(needle: str, haystack: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack) is not None


def test_no_register_entry_reaches_a_fieldworker_export_and_originals_keep_them(
    corpus: Path, tmp_path: Path
) -> None:
    project, _ = make_project(tmp_path / "fw")
    with project:
        sources = corpus_files(corpus)
        assert not project.transcripts.import_files(sources).rejected
        key: dict[str, dict[str, object]] = {}
        for source in sources:
            for item in json.loads(source.with_name(source.stem + ".identifiers.json").read_text("utf-8")):
                key.setdefault(str(item["text"]), item)
        for text, item in key.items():
            project.register.add(text, str(item["replacement"]), str(item["category"]))
        person = next(t for t, i in key.items() if i["category"] == "PERSON" and " " in t and "\n" not in t)
        loose = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{person} notes.txt", f"Notes: {person} phoned about the rota.\n")
        )[0]
        project.codebook.add("Partnership working/Key local partners", description=f"As {person} put it")
        in_vivo = project.codebook.add(f"Emergent themes/{person} said it", origin="emergent")
        codings = []
        for transcript in project.transcripts.all():
            text = project.transcripts.text_of(transcript.uuid)
            for entry in [t for t in key if t in text][:4]:  # passages starting and ending inside a name
                at = text.index(entry)
                end = min(len(text), at + len(entry) + 40)
                codings.append(project.codings.add(transcript.uuid, at + 1, end, in_vivo.path)[0])
                codings.append(
                    project.codings.add(
                        transcript.uuid, max(0, at - 30), at + 2, "Partnership working/Key local partners"
                    )[0]
                )
        codings = list({c.uuid: c for c in codings}.values())  # the same range twice is one coding
        project.memos.save("code", in_vivo.uuid, f"- {person} came up twice")
        project.memos.save("transcript", loose.uuid, f"Call {person} back")
        project.memos.save("coding", codings[0].uuid, f"{person} again")
        project.register.dismiss([c.text for c in project.register.suggestions()])  # the review, done
        decide_all(project)

        assert export_project(project, tmp_path / "anon.qdpx").anonymised
        anon = Qdpx(tmp_path / "anon.qdpx")
        namespaces.validate("project", anon.qde)
        everything = anon.text()
        assert [entry for entry in key if _whole_word(entry, everything)] == []
        assert loose.name not in everything and "notes.txt" not in everything
        selections = anon.selections()
        assert len(selections) == len(codings)
        assert all("[" in text for _, _, text in selections)  # each passage touched a name
        assert "Council area" not in everything

        assert not export_project(project, tmp_path / "orig.qdpx", originals=True).anonymised
        orig = Qdpx(tmp_path / "orig.qdpx")
        namespaces.validate("project", orig.qde)
        kept = orig.text()
        assert person in kept and loose.name in kept and "Council area" in kept
        expected = {
            (c.uuid, c.code_uuid, project.transcripts.text_of(c.transcript_uuid)[c.start : c.end])
            for c in codings
        }
        assert set(orig.selections()) == expected

        assert export_codebook(project, tmp_path / "anon.qdc").anonymised
        assert person not in (tmp_path / "anon.qdc").read_text("utf-8")


def test_an_identifier_left_in_a_code_name_refuses_the_export(project: Project, tmp_path: Path) -> None:
    rose_in_a_theme_name(project, tmp_path)
    out = tmp_path / "out.qdpx"
    out.write_bytes(b"an earlier export")
    with pytest.raises(LeaksInFile) as refused:
        export_project(project, out)
    assert "Rose" not in str(refused.value) and "1 identifying detail" in str(refused.value)
    assert out.read_bytes() == b"an earlier export"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.qdpx", "study"]  # no temporary left
    export_project(project, out, originals=True)
    assert zipfile.is_zipfile(out)


def test_a_lead_project_is_exported_as_it_is(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead")
    with lead:
        lead.team.create("Study team")
        transcript = lead.transcripts.import_file(
            write_txt(tmp_path / "in", "client_3.txt", "Client: Morag came every week.\n"),
            ParticipantFields("Client", 3, council_area="Fife"),
        )[0]
        lead.register.add("Morag", "[WORKER]", "PERSON")
        lead.codebook.add("Relationships")
        coding = code(lead, transcript.uuid, "Morag came every week", "Relationships")
        decide_all(lead)  # the lead's export is checked too: its one case's details, reviewed
        assert not export_project(lead, tmp_path / "lead.qdpx").anonymised
    archive = Qdpx(tmp_path / "lead.qdpx")
    assert archive.raw[f"sources/{transcript.uuid}.txt"] == b"Client: Morag came every week.\n"
    assert archive.selections() == [(coding.uuid, coding.code_uuid, "Morag came every week")]
    assert "Council area" in archive.text()


# -- command line ----------------------------------------------------------------------------------------


def test_the_command_line_exports_and_warns_about_originals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    cli = Cli(capsys, tmp_path)
    source = write_txt(tmp_path / "in", "client_7.txt", PLAIN_TEXT)
    for step in (
        ("init", cli.project, "--name", "Oban study", "--coder", "Ailsa"),
        ("import", cli.project, str(source), "--group", "Client", "--interview", "7"),
        ("codes", cli.project, "add", "Workload/Rotas"),
        ("register", cli.project, "add", "Morag", "--as", "[WORKER]", "--category", "PERSON"),
    ):
        code_, _, err = cli(*step)
        assert code_ == 0, err
    code_, out, _ = cli("register", cli.project, "suggest", "--json")
    candidates = [c["text"] for c in json.loads(out)]
    if candidates:
        assert cli("register", cli.project, "dismiss", *candidates)[0] == 0
    code_, out, err = cli("qdpx", "export", cli.project, str(tmp_path / "out.qdpx"))
    assert code_ == 0, err
    assert "(anonymised with the register)" in out and "warning" not in err
    assert b"[WORKER] runs the rota" in Qdpx(tmp_path / "out.qdpx").raw.get(
        next(n for n in Qdpx(tmp_path / "out.qdpx").names if n.startswith("sources/")), b""
    )
    code_, out, err = cli("qdpx", "export", cli.project, str(tmp_path / "orig.qdpx"), "--originals")
    assert code_ == 0, err
    assert "NOT anonymised" in err and "(originals, not anonymised)" in out
    code_, out, err = cli("qdc", "export", cli.project, str(tmp_path / "codes.qdc"))
    assert code_ == 0, err
    namespaces.validate("codebook", (tmp_path / "codes.qdc").read_bytes())
    code_, _, err = cli("qdc", "export", cli.project, str(tmp_path / "codes.txt"))
    assert code_ == 1 and "choose a file ending in .qdc" in err


# -- round trip --------------------------------------------------------------------------------------------


def test_a_project_survives_export_and_import(study: Project, tmp_path: Path) -> None:
    from jswcoder.refiqda.import_codebook import import_qdc
    from jswcoder.refiqda.import_project import import_qdpx
    from tests.conftest import FAST_KDF

    export_project(study, tmp_path / "out.qdpx", originals=True)
    copy, _, report = import_qdpx(
        tmp_path / "out.qdpx", tmp_path / "copy", coder="Bea", passphrase=PASSPHRASE, kdf=FAST_KDF
    )
    with copy:
        assert [(c.uuid, c.path, c.description) for c in copy.codebook.all()] == [
            (c.uuid, c.path, c.description) for c in study.codebook.all()
        ]
        assert [copy.codebook.colour_of(c) for c in copy.codebook.all()] == [
            study.codebook.colour_of(c) for c in study.codebook.all()
        ]  # as shown: an inherited colour arrives as the code's own

        def people(project: Project) -> list[tuple[object, ...]]:
            found = {
                p.uuid: p
                for t in project.transcripts.all()
                for p in [project.transcripts.participant(t)]
                if p
            }
            return sorted(
                (p.uuid, p.participant_group, p.interview_number, p.format, p.mode, p.council_area)
                for p in found.values()
            )

        assert people(copy) == people(study)  # the variables land on the participant's own fields
        assert len(people(copy)) == 2

        def coded(project: Project) -> list[tuple[str, str, str]]:
            return sorted(
                (
                    c.uuid,
                    project.codebook.get(c.code_uuid).path,
                    project.transcripts.text_of(t.uuid)[c.start : c.end],
                )
                for t in project.transcripts.all()
                for c in project.codings.of_transcript(t.uuid)
            )

        assert coded(copy) == coded(study)
        assert sorted(m.text for m in copy.memos.all()) == sorted(m.text for m in study.memos.all())
    assert report.positions is not None and report.positions.convention == "codepoints"

    export_codebook(study, tmp_path / "codes.qdc")
    other, _ = make_project(tmp_path / "other")
    with other:
        import_qdc(other, tmp_path / "codes.qdc")
        assert [(c.uuid, c.path) for c in other.codebook.all()] == [
            (c.uuid, c.path) for c in study.codebook.all()
        ]
