"""Projects for the local assistance tests (issue 20): the demo with the shared corpus, and a coded corpus
made from the study's published report.

* :func:`demo_with_corpus`: the demo project (four interviews, two coders) with the six transcripts of the
  shared corpus imported by the real importer beside it (their interview numbers moved on by 100, so they
  do not claim the demo's participants).
* :func:`report_documents`: the research report in ``/work/shared/seeds`` read as a coded corpus. Its
  sections follow the study's codebook (the ``jsw-study`` template was written from them), so each
  paragraph of a section, and each interview quote in it, is coded with the section's theme: the authors'
  own placing of what participants said. The paragraphs are dealt round in turn into documents, so every
  document covers every chapter and half the documents can be held aside as the truth.
* :func:`import_paragraphs`: a document of paragraphs imported as a plain-text transcript, with where each
  paragraph landed in its text.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from jswcoder.project import Project
from tests.conftest import CORPUS, FAST_KDF, corpus_files

SEEDS = CORPUS.parent / "seeds"
REPORT = SEEDS / "jsw-ncs-research-report-2024.txt"

# The report's headings from chapter 2 to the conclusions, in order, each with the codebook theme its
# paragraphs are coded with (None: an introduction or summary across themes, left uncoded and unused).
REPORT_SECTIONS: tuple[tuple[str, str | None], ...] = (
    ("2. Ethos and approach of Justice Social Work", None),
    ("Key points", None),
    ("Justice Social Workers’ identity and values", "Ethos and approach/Professional identity"),
    ("Other stakeholders' views of JSW", None),
    ("Professional partners", "Ethos and approach/How partners see JSW"),
    ("Clients", "Ethos and approach/How clients see JSW"),
    ("General public", "Ethos and approach/Public and media perceptions"),
    ("3. Funding and resources", None),
    ("Key points", None),
    ("Introduction and context", None),
    ("Factors impacting on resourcing", None),
    ("Increased need, demand and expectation", "Funding and resources/Demand and complexity of need"),
    ("Funding levels", "Funding and resources/Funding levels and sustainability"),
    ("Staff recruitment, absence and retention", "Funding and resources/Recruitment, absence and retention"),
    ("Training", "Funding and resources/Training"),
    ("Physical resources", "Funding and resources/Physical resources"),
    ("External resources", "Funding and resources/Partners' resources"),
    ("Geography", "Funding and resources/Geography and rurality"),
    ("Impacts of resourcing issues", None),
    ("For JSW professionals", "Funding and resources/Impacts on staff"),
    ("For clients", "Funding and resources/Impacts on clients"),
    ("Suggestions for improvement", "Suggestions for improvement"),
    ("4. Partnership working", None),
    ("Key points", None),
    ("Introduction and context", None),
    ("Key local partners", "Partnership working/Key local partners"),
    ("Factors impacting partnership working", None),
    ("Co-location", "Partnership working/Co-location"),
    ("Integrated teams", None),
    ("Statutory framework", "Partnership working/Statutory frameworks"),
    ("Communication and information sharing", "Partnership working/Communication and information sharing"),
    ("Resources", "Partnership working/Resources for partnership"),
    ("Ethos, culture, values", "Partnership working/Shared values and understanding of roles"),
    ("Other factors impacting on partnership working", None),
    ("Partnership beyond local authority boundaries", "Partnership working/Working across council boundaries"),
    ("Suggestions for improvement", "Suggestions for improvement"),
    ("5. Leadership and governance", None),
    ("Key points", None),
    ("Introduction and context", None),
    ("Local leadership and governance", "Leadership and governance/Local leadership"),
    ("Health and Social Care Partnerships", "Leadership and governance/Integration with health and social care"),
    ("National leadership", "Leadership and governance/National leadership and voice"),
    ("Suggestions for improvement", "Suggestions for improvement"),
    ("6. Delivering for clients", None),
    ("Key points", None),
    ("Summary of strengths and challenges of delivering for clients", None),
    ("Measuring JSW outcomes", None),
    ("Client views on what works", "Delivering for clients/What works for clients"),
    ("Consistency of JSW delivery between areas", "Delivering for clients/Consistency between areas"),
    ("Delivering for different client groups", "Delivering for clients/Client groups"),
    ("Suggestions for improvement", "Suggestions for improvement"),
    ("7. Views on Justice Social Work and the National Care Service", None),
    ("Key points", None),
    ("Introduction and context", None),
    ("“In a word, detail”: general attitudes JSW and the NCS", "JSW and the National Care Service/Need for more detail"),
    ("Values and identity", "JSW and the National Care Service/Values and identity"),
    ("Resources", "JSW and the National Care Service/Resources and ring-fencing"),
    ("Consistency, nationalism and localism", "JSW and the National Care Service/Consistency, nationalism and localism"),
    ("Leadership and governance", "JSW and the National Care Service/Leadership and governance"),
    ("Partnership working", "JSW and the National Care Service/Partnership working"),
    ("Impacts on terms, conditions and progression", "JSW and the National Care Service/Terms, conditions and progression"),
    ("8. Conclusions", None),
)  # fmt: skip

_ATTRIBUTION = re.compile(r"^\(.*interview\s*\d+\)$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]")
MIN_PARAGRAPH_WORDS = 8


def report_paragraphs(path: Path = REPORT) -> list[tuple[str, str]]:
    """(theme path, paragraph) for every paragraph of a themed section of the report, in order: body text
    and interview quotes, not headings, attributions, footnotes or the participants' questions."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    first = lines.index(REPORT_SECTIONS[0][0])  # the contents' lines end in a tab and a page number
    found: list[tuple[str, str]] = []
    section, theme = 0, None
    for line in lines[first + 1 :]:
        following = REPORT_SECTIONS[section + 1][0] if section + 1 < len(REPORT_SECTIONS) else None
        if line == following:
            section += 1
            theme = REPORT_SECTIONS[section][1]
            if section == len(REPORT_SECTIONS) - 1:
                break
            continue
        if theme is None or not line or _ATTRIBUTION.match(line) or _FOOTNOTE.match(line):
            continue
        if line.endswith("?") or len(line.split()) < MIN_PARAGRAPH_WORDS:
            continue
        found.append((theme, line.lstrip("- ").strip()))
    if section != len(REPORT_SECTIONS) - 1:
        raise AssertionError(f"the report's heading {REPORT_SECTIONS[section + 1][0]!r} was not found")
    return found


def report_documents(count: int = 8, path: Path = REPORT) -> list[list[tuple[str, str]]]:
    """The report's themed paragraphs dealt round into ``count`` documents, each in the report's order."""
    paragraphs = report_paragraphs(path)
    return [paragraphs[i::count] for i in range(count)]


def import_paragraphs(
    project: Project, folder: Path, name: str, paragraphs: list[str]
) -> tuple[str, list[tuple[int, int]]]:
    """Import ``paragraphs`` as the plain-text transcript ``name`` (blank lines between them); its UUID and
    each paragraph's (start, end) in the stored text."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.txt"
    source.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    report = project.transcripts.import_files([source])
    source.unlink()  # the project holds the only copy, as after a careful import
    if report.rejected:
        raise AssertionError(str(report.rejected[0]))
    transcript = project.transcripts.find(name)
    text = project.transcripts.text_of(transcript.uuid)
    spans, at = [], 0
    for paragraph in paragraphs:
        start = text.index(paragraph, at)
        spans.append((start, start + len(paragraph)))
        at = start + len(paragraph)
    return transcript.uuid, spans


def corpus_copy(corpus: Path, folder: Path) -> list[Path]:
    """The shared corpus's transcripts copied into ``folder`` with their details, each interview number
    moved on by 100 (the demo's participants hold numbers 1 to 9)."""
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in corpus_files(corpus):
        target = folder / source.name
        shutil.copyfile(source, target)
        meta = source.with_name(f"{source.stem}.meta.json")
        if meta.is_file():
            details = json.loads(meta.read_text(encoding="utf-8"))
            details["interview_number"] = int(details["interview_number"]) + 100
            (folder / meta.name).write_text(json.dumps(details), encoding="utf-8")
        copied.append(target)
    return copied


def demo_with_corpus(folder: Path, corpus: Path) -> Project:
    """The demo project, with the shared corpus imported beside its interviews."""
    from jswcoder import demo

    project = demo.create(folder / "study", kdf=FAST_KDF)
    report = project.transcripts.import_files(corpus_copy(corpus, folder / "inbox"))
    shutil.rmtree(folder / "inbox")
    if report.rejected:
        project.close()
        raise AssertionError(str(report.rejected[0]))
    return project
