"""How good the local assistant is, measured with the real model (issue 20's tests).

* **Passages like this.** Thirty sentences in the voice of the study (justice social workers, managers,
  partners, clients), each with a rewording of our own in other words, are hidden in a transcript among the
  demo's and the shared corpus's passages; each rewording is typed into ``similar`` and the rank of its
  original noted. The issue asks for rank 3 or better in at least 80 % of cases.
* **The assistant as a coder, on text it has not seen coded.** The study's report is a coded corpus (see
  ``tests/assist_fixtures.py``): its paragraphs dealt into eight documents and coded with their section's
  theme. Half the documents' codings are held aside as the truth; the assistant codes those documents
  from the other half's examples, and is scored as a second coder: per-character kappa (the agreement
  report's own ``compare``) and passage-level precision and recall. The figure is printed (``-s``), not
  held to a bar: it is what the app will show users, whatever it is. The same on the demo project, whose
  interviews carry one or two examples a theme.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jswcoder import templates
from jswcoder.analysis.agreement import AgreementReport, compare
from jswcoder.assist import model
from jswcoder.model import Coder
from jswcoder.project import Project
from tests.assist_fixtures import REPORT, demo_with_corpus, import_paragraphs, report_documents
from tests.conftest import FAST_KDF, make_project

pytestmark = [
    pytest.mark.skipif(
        bool(model.missing()), reason="the assistance part (jswcoder[assist]) is not installed"
    ),
    pytest.mark.slow,
]

# (said in an interview, the same said in other words); every original is one sentence of six words or
# more, so that it is one passage of its own in the index.
PARAPHRASES: tuple[tuple[str, str], ...] = (
    ("Our caseloads have doubled since the pandemic and nobody has given us any extra workers to cope.",
     "The number of people each of us supervises went up twofold after Covid, yet no additional staff were provided."),
    ("I only got the placement on the unpaid work squad because my supervisor phoned the foreman for me.",
     "My worker rang the boss of the community service team, which is the reason they took me on."),
    ("The police officers in our local station ring me directly whenever one of my clients is arrested.",
     "Whenever someone I supervise gets lifted, the cops at the nearby office give me a call straight away."),
    ("When my worker changed for the third time I stopped turning up to appointments altogether.",
     "After being handed to yet another new social worker, I just gave up attending my meetings."),
    ("The grant from the government has stayed the same for years while our costs keep rising.",
     "Central funding has been frozen for a long time even though everything we pay for gets more expensive."),
    ("Travelling to the island to see one client can take up a whole working day.",
     "A single home visit across the water on the ferry eats up my entire shift."),
    ("We share an office with the addiction team, so a referral is just a walk down the corridor.",
     "Being in the same building as the drug and alcohol service means passing someone on takes a minute."),
    ("Nobody at national level really speaks up for justice social work the way they do for children's services.",
     "There is no strong voice in government championing our field, unlike the advocates for child protection."),
    ("Our IT system cannot talk to the health board's records, so we end up phoning for every update.",
     "Because the NHS computers and ours are incompatible, we must ring them each time we need information."),
    ("The women's group was the first place I felt listened to instead of judged.",
     "Meeting with other female clients was where people finally heard me without looking down on me."),
    ("Newly qualified staff leave within a year because the pay is better in children and families.",
     "Fresh graduates quit after twelve months since child protection teams offer higher salaries."),
    ("The MAPPA meetings give everyone around the table a clear picture of the risk.",
     "Multi-agency public protection panels make sure all the partners understand how dangerous a person might be."),
    ("I honestly don't know whether the National Care Service would protect the ring-fenced money for justice.",
     "It is unclear to me if the new national body would keep our protected budget safe."),
    ("My worker let me move my appointments to the evening so I could keep my job at the warehouse.",
     "Because I do shifts stacking shelves, my social worker agreed to see me after hours."),
    ("Finding a flat for someone on the sex offender register is almost impossible in a small town.",
     "Housing people convicted of sexual crimes is a nightmare in rural communities where everyone knows everyone."),
    ("We are constantly firefighting, and the preventative work with clients just gets squeezed out.",
     "All our time goes on crises, so there is no room left for early intervention that stops reoffending."),
    ("The newspapers only ever write about us when something goes badly wrong.",
     "Journalists report on our service solely after a tragedy or a serious failure."),
    ("Training for the risk assessment tools has been cancelled twice this year for lack of funding.",
     "The courses on how to use the LS/CMI were called off on two occasions recently because there was no budget."),
    ("The community justice partnership is mostly a talking shop that rarely changes anything on the ground.",
     "The local partnership board meets a lot but achieves very little in practice."),
    ("I think of myself as a social worker first and a justice worker second.",
     "My identity is rooted in the caring profession more than in the criminal courts side."),
    ("Unpaid work gave me a reason to get up in the morning and people to talk to.",
     "Doing community service got me out of bed each day and gave me company."),
    ("Staff are exhausted, and sickness absence has gone through the roof this winter.",
     "Workers are burnt out and the number of people off ill has soared in recent months."),
    ("Each council has its own forms and procedures, so transferring an order to another area is a headache.",
     "Moving a case across local authority borders is a pain because every authority does its paperwork differently."),
    ("We would lose the close link with housing and education if we were moved out of the council.",
     "Leaving local government would cut our ties to accommodation services and schools."),
    ("We set up a drop-in café where clients can get a hot meal and see their worker without an appointment.",
     "We started a walk-in space serving food where people on orders can chat with staff without booking."),
    ("The interview rooms are so small and shabby that clients feel like they are being punished again.",
     "Our meeting spaces are cramped and run-down, which makes people feel penalised a second time."),
    ("Younger clients respond much better to text messages than to formal letters about appointments.",
     "Teenagers and young adults reply to a quick message on their phone far more than to official correspondence."),
    ("Nobody has explained what pension scheme we would be on if our employer changed.",
     "No one has told us what would happen to our retirement benefits under a new organisation."),
    ("The police see us as soft, as if we're only there to make excuses for offenders.",
     "Officers think we are a pushover who just defend criminals."),
    ("Having the same worker for the whole of my order meant I didn't have to tell my story over and over.",
     "Keeping one social worker throughout my sentence saved me repeating everything about my past each time."),
)  # fmt: skip


def test_paraphrases_find_their_originals_among_the_demo_and_corpus_passages(
    tmp_path: Path, corpus: Path
) -> None:
    assert len(PARAPHRASES) >= 25
    with demo_with_corpus(tmp_path, corpus) as project:
        originals = [original for original, _ in PARAPHRASES]
        uuid, spans = import_paragraphs(project, tmp_path / "inbox", "Hidden interview", originals)
        project.assistance.update()
        index = project.assistance.loaded()
        # Each original is one passage of its own, so "found" means that passage came back.
        assert [
            (int(s), int(e)) for s, e in index.spans[index.rows_of(uuid).start : index.rows_of(uuid).stop]
        ] == spans
        hidden_among = len(index) - len(spans)
        assert hidden_among > 900  # the demo's passages and the corpus's

        ranks: list[int | None] = []
        began = time.perf_counter()
        for (original, reworded), (start, end) in zip(PARAPHRASES, spans, strict=True):
            found = project.assistance.similar(reworded, top=10)
            places = [
                i for i, p in enumerate(found, 1) if (p.transcript_uuid, p.start, p.end) == (uuid, start, end)
            ]
            assert all(p.text == original for p in found if p.transcript_uuid == uuid and p.start == start)
            ranks.append(places[0] if places else None)
        per_query = (time.perf_counter() - began) / len(PARAPHRASES)

    first = sum(r == 1 for r in ranks) / len(ranks)
    top3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
    print(
        f"\nretrieval: {len(ranks)} rewordings, originals hidden among {hidden_among} passages: "
        f"rank 1 {first:.0%}, rank <= 3 {top3:.0%}; ranks {ranks}; {per_query * 1000:.0f} ms a query"
    )
    missed = [PARAPHRASES[i][1] for i, r in enumerate(ranks) if r is None or r > 3]
    assert top3 >= 0.8, f"found at rank <= 3 in {top3:.0%} only; missed: {missed}"


# -- the assistant as a coder, held to the agreement test ------------------------------------------------

ASSISTANT = Coder("assistant", "assistant")
PERSON = Coder("person", "person")


def _scored(
    project: Project, held: dict[str, dict[str, list[tuple[int, int]]]]
) -> tuple[list[AgreementReport], int, int, int]:
    """The assistant's coding of each held-aside transcript against the truth held aside for it: the
    agreement reports, and at passage level the (passage, theme) pairs both coded, only the assistant,
    only the truth. A passage is the truth's for a theme when that coding covers most of it."""
    themes = [(code.uuid, code.path) for code in project.codebook.all()]
    index = project.assistance.loaded()
    reports, both, only_assistant, only_truth = [], 0, 0, 0
    for uuid, truth in held.items():
        spans = project.assistance.assistant_spans(uuid)
        text = project.transcripts.text_of(uuid)
        transcript = project.transcripts.get(uuid)
        reports.append(
            compare(text, themes, spans, truth, transcript=transcript, coder_a=ASSISTANT, coder_b=PERSON)
        )
        for row in index.rows_of(uuid):
            start, end = int(index.spans[row, 0]), int(index.spans[row, 1])
            expected = {
                code
                for code, coded in truth.items()
                if any(2 * max(0, min(b, end) - max(a, start)) > end - start for a, b in coded)
            }
            suggested = {code for code, given in spans.items() if (start, end) in given}
            both += len(expected & suggested)
            only_assistant += len(suggested - expected)
            only_truth += len(expected - suggested)
    return reports, both, only_assistant, only_truth


def _hold_aside(
    project: Project, uuids: list[str], coder_uuid: str | None = None
) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """Remove every coding of these transcripts; return one coder's (or everyone's) as the truth."""
    held: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for uuid in uuids:
        held[uuid] = {}
        for coding in project.codings.of_transcript(uuid):
            if coder_uuid is None or coding.coder_uuid == coder_uuid:
                held[uuid].setdefault(coding.code_uuid, []).append((coding.start, coding.end))
            project.codings.remove(coding.uuid)
        assert not project.codings.of_transcript(uuid)
    return held


def _report(
    what: str, reports: list[AgreementReport], both: int, only_assistant: int, only_truth: int
) -> tuple[float, float, float]:
    kappas = [r.pooled.kappa for r in reports if r.pooled.kappa is not None]
    assert kappas, "no held-aside transcript gave a kappa"
    mean_kappa = sum(kappas) / len(kappas)
    precision = both / (both + only_assistant) if both + only_assistant else 0.0
    recall = both / (both + only_truth) if both + only_truth else 0.0
    per_doc = ", ".join(f"{k:.2f}" for k in kappas)
    print(
        f"\n{what}: pooled kappa {mean_kappa:.2f} (per transcript {per_doc}); passages: precision "
        f"{precision:.0%}, recall {recall:.0%} ({both} right, {only_assistant} suggested wrongly, {only_truth} missed)"
    )
    return mean_kappa, precision, recall


def test_the_assistant_coding_a_held_aside_half_of_the_report_scored_like_a_second_coder(
    tmp_path: Path,
) -> None:
    if not REPORT.is_file():
        pytest.skip(f"the study's report is not at {REPORT}")
    project, _ = make_project(tmp_path / "study")
    with project:
        templates.apply(templates.by_key("jsw-study"), project.codebook)
        uuids = []
        for number, document in enumerate(report_documents(8), 1):
            uuid, spans = import_paragraphs(
                project, tmp_path / "inbox", f"Report part {number}", [text for _, text in document]
            )
            for (theme, _), (start, end) in zip(document, spans, strict=True):
                project.codings.add(uuid, start, end, theme)
            uuids.append(uuid)
        project.assistance.update()
        held = _hold_aside(project, uuids[1::2])
        assert sum(len(s) for truth in held.values() for s in truth.values()) > 100

        began = time.perf_counter()
        reports, *counts = _scored(project, held)
        seconds = (time.perf_counter() - began) / len(held)
        kappa, precision, recall = _report("assistant on the held-aside half of the report", reports, *counts)
        print(f"({seconds:.2f} s a transcript, {len(project.assistance.loaded())} passages indexed)")
        assert -1 <= kappa <= 1 and 0 <= precision <= 1 and 0 <= recall <= 1
        assert counts[0] + counts[1] > 0  # the assistant did suggest something


def test_the_assistant_on_the_demo_scored_against_the_held_aside_coder(tmp_path: Path) -> None:
    from jswcoder import demo

    with demo.create(tmp_path / "demo", kdf=FAST_KDF) as project:
        project.assistance.update()
        names = sorted(t.name for t in project.transcripts.all())
        held_names = names[1::2]  # demo_02 (team leader) and demo_04 (client, double coded)
        uuids = [project.transcripts.find(name).uuid for name in held_names]
        held = _hold_aside(project, uuids, project.coder.uuid)
        reports, *counts = _scored(project, held)
        kappa, precision, recall = _report(
            f"assistant on the demo's {', '.join(held_names)}", reports, *counts
        )
        assert -1 <= kappa <= 1 and 0 <= precision <= 1 and 0 <= recall <= 1
