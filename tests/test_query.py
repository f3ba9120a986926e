"""Coding queries over a real encrypted project: worked examples of each operator, the refusals, and
every operator against a brute-force answer computed character by character (Hypothesis)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.analysis.query import found_spans, run_query
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Coding
from jswcoder.project import Project
from jswcoder.services.passage_units import TextUnits, Unit
from jswcoder.services.query_parse import And, Filter, Near, Node, Not, Or, Theme, parse, unparse
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import codings as coding_rows
from jswcoder.store import people
from tests.conftest import write_txt

TEXTS = {
    "jsw2": "Interviewer: How is the caseload?\nP1: Heavy. Training is thin.\n\nI get no supervision.\n"
    "Interviewer: And the team?\nP1: The team is kind. Training helps.\n",
    "client7": "Interviewer: What helped?\nClient: My worker listened. The group work helped me.\n",
    "loose": "Notes from a visit with no participant recorded.\nStaff spoke of training and of risk.\n",
}
FIELDS = {
    "jsw2": ParticipantFields("Justice social workers", 2, format="depth", council_area="Fife"),
    "client7": ParticipantFields("Client", 7, mode="telephone", council_area="Highland"),
    "loose": None,
}
THEMES = ("Workload", "Workload/Training", "Support", "Risk")


@pytest.fixture
def study(project: Project, tmp_path: Path) -> dict[str, str]:
    ids = {}
    for name, text in TEXTS.items():
        transcript, _warnings = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{name}.txt", text), FIELDS[name]
        )
        ids[name] = transcript.uuid
    for path in THEMES:
        project.codebook.add(path)
    return ids


def code(project: Project, transcript: str, phrase: str, theme: str, *, coder: str | None = None) -> None:
    """Code the first *phrase* in a transcript (as another coder, when named: a second coder's coding)."""
    text = project.transcripts.text_of(transcript)
    start = text.index(phrase)
    if coder is None:
        project.codings.add(transcript, start, start + len(phrase), theme)
        return
    other = people.ensure_coder(project.db, coder)
    theme_uuid = project.codebook.find(theme).uuid
    coding = Coding(new_uuid(), transcript, theme_uuid, start, start + len(phrase), other.uuid, now())
    with project.db.atomic():
        coding_rows.insert(project.db, coding)


def texts(project: Project, query: str) -> list[str]:
    return [p.text for p in run_query(project, query)]


def test_and_is_the_overlap_or_the_union_not_the_difference(project: Project, study: dict[str, str]) -> None:
    code(project, study["jsw2"], "Heavy. Training is thin.", "Workload")
    code(project, study["jsw2"], "Training is thin.\n\nI get no supervision.", "Support")
    assert texts(project, '"Workload" AND "Support"') == ["Training is thin."]
    assert texts(project, '"Workload" OR "Support"') == ["Heavy. Training is thin.\n\nI get no supervision."]
    assert texts(project, '"Workload" NOT "Support"') == ["Heavy. "]
    assert texts(project, '"Support" AND NOT "Workload"') == ["\n\nI get no supervision."]
    passage = run_query(project, '"Workload" AND "Support"')[0]
    text = project.transcripts.text_of(study["jsw2"])
    assert text[passage.start : passage.end] == passage.text
    assert (passage.transcript, passage.coder, passage.attribution) == (
        "jsw2",
        "Ailsa",
        "Justice social workers interview 2",
    )


def test_a_theme_alone_or_with_its_sub_themes(project: Project, study: dict[str, str]) -> None:
    code(project, study["jsw2"], "Heavy.", "Workload")
    code(project, study["jsw2"], "Training helps.", "Workload/Training")
    assert texts(project, '"Workload"') == ["Heavy."]
    assert texts(project, '"workload/training"') == ["Training helps."]
    assert texts(project, '"Workload"/*') == ["Heavy.", "Training helps."]


def test_filters_restrict_by_the_case_and_the_coder(project: Project, study: dict[str, str]) -> None:
    code(project, study["jsw2"], "Training is thin.", "Workload/Training")
    code(project, study["client7"], "My worker listened.", "Workload/Training")
    code(project, study["loose"], "Staff spoke of training", "Workload/Training")
    code(project, study["client7"], "The group work helped me.", "Workload/Training", coder="Bob")
    everything = [
        "My worker listened.",
        "The group work helped me.",
        "Training is thin.",
        "Staff spoke of training",
    ]
    assert texts(project, '"Workload/Training"') == everything
    assert texts(project, '"Workload/Training" AND participant_group = "client"') == everything[:2]
    assert texts(project, '"Workload/Training" AND group = Client AND coder = "Bob"') == [everything[1]]
    assert texts(project, '"Workload/Training" AND area != "Highland"') == everything[2:]
    assert texts(project, '"Workload/Training" AND format IN (depth, "paired")') == [everything[2]]
    assert texts(project, '"Workload/Training" AND interview_number = 7 AND NOT coder = Bob') == [
        everything[0]
    ]
    bob = run_query(project, '"Workload/Training" AND coder = "Bob"')[0]
    assert (bob.coder, bob.attribution) == ("Bob", "Client interview 7")
    project.cases.set(project.transcripts.find("client7").participant_uuid or "", {"Role": "Peer mentor"})
    assert texts(project, '"Workload/Training" AND [role] = "peer  mentor"') == everything[:2]


def test_coders_are_not_mixed(project: Project, study: dict[str, str]) -> None:
    """One coder's Workload and another's Support do not overlap: each coder's coding is their own."""
    code(project, study["jsw2"], "Heavy. Training is thin.", "Workload")
    code(project, study["jsw2"], "Training is thin.", "Support", coder="Bob")
    assert texts(project, '"Workload" AND "Support"') == []
    assert texts(project, '"Workload" OR "Support"') == ["Heavy. Training is thin.", "Training is thin."]


def test_near_by_characters_turn_and_paragraph(project: Project, study: dict[str, str]) -> None:
    code(project, study["jsw2"], "Heavy.", "Workload")
    code(project, study["jsw2"], "I get no supervision.", "Support")
    code(project, study["jsw2"], "The team is kind.", "Support")
    assert texts(project, '"Workload" NEAR/30 "Support"') == ["Heavy.", "I get no supervision."]
    assert texts(project, '"Support" NEAR/30 "Workload"') == ["Heavy.", "I get no supervision."]
    assert texts(project, '"Workload" NEAR/10 "Support"') == []
    # Heavy. and I get no supervision. are one turn, two paragraphs; the team is kind is the next turn.
    assert texts(project, '"Workload" NEAR/TURN "Support"') == ["Heavy.", "I get no supervision."]
    assert texts(project, '"Workload" NEAR/PARAGRAPH "Support"') == []


def test_unknown_themes_details_and_coders_are_named(project: Project, study: dict[str, str]) -> None:
    with pytest.raises(NotFound, match="no theme has the path 'Funding'"):
        run_query(project, '"Funding"')
    with pytest.raises(NotFound, match='write "Workload"/\\*'):
        run_query(project, '"Workload/*"')
    with pytest.raises(InvalidInput, match="no detail or attribute is called 'areaa'"):
        run_query(project, '"Workload" AND areaa = "Fife"')
    with pytest.raises(NotFound, match="no coder is called 'Nobody'"):
        run_query(project, '"Workload" AND coder = "Nobody"')


# -- against brute force -----------------------------------------------------------------------------

CODERS = ("Ailsa", "Bob")
LEAVES: list[Node] = [
    Theme("Workload"),
    Theme("Workload", subthemes=True),
    Theme("Workload/Training"),
    Theme("Support"),
    Theme("Risk"),
    Filter("participant_group", "=", ("Client",)),
    Filter("coder", "=", ("Bob",)),
    Filter("council_area", "!=", ("Fife",)),
    Filter("format", "in", ("depth", "group")),
]
queries = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, inner, inner),
        st.builds(Or, inner, inner),
        st.builds(Near, inner, inner, st.sampled_from([0, 3, 12, 25, "turn", "paragraph"])),
    ),
    max_leaves=6,
)
codings = st.lists(
    st.tuples(
        st.sampled_from(sorted(TEXTS)),
        st.sampled_from(THEMES),
        st.sampled_from(CODERS),
        st.floats(0, 0.99),
        st.integers(1, 40),
    ),
    max_size=16,
)

Chars = dict[tuple[str, str], set[int]]


class BruteForce:
    """The query's meaning computed on sets of character positions, the slow obvious way."""

    def __init__(self, project: Project, coded: list[Coding]) -> None:
        self.project = project
        self.coded = coded
        self.lengths = {t.uuid: t.length for t in project.transcripts.all()}
        self.universe = {(c.transcript_uuid, c.coder_uuid) for c in coded}
        self.paths = {c.uuid: c.path for c in project.codebook.all()}
        self.names = {c.uuid: c.name for c in people_coders(project)}

    def value(self, key: tuple[str, str], name: str) -> str:
        if name == "coder":
            return self.names[key[1]]
        transcript = self.project.transcripts.get(key[0])
        participant = self.project.transcripts.participant(transcript)
        found = None if participant is None else getattr(participant, name)
        return "" if found is None else str(found)

    def run(self, node: Node) -> Chars:
        match node:
            case Theme(path, subthemes):
                found: Chars = {}
                for c in self.coded:
                    coded_path = self.paths[c.code_uuid]
                    if coded_path == path or (subthemes and coded_path.startswith(path + "/")):
                        found.setdefault((c.transcript_uuid, c.coder_uuid), set()).update(
                            range(c.start, c.end)
                        )
                return found
            case Filter(key, op, values):
                holds = {
                    k
                    for k in self.universe
                    if (self.value(k, key).casefold() in {v.casefold() for v in values})
                }
                if op in ("!=", "not in"):
                    holds = self.universe - holds
                return {k: set(range(self.lengths[k[0]])) for k in holds}
            case Not(operand):
                inner = self.run(operand)
                return self.cleaned(
                    {k: set(range(self.lengths[k[0]])) - inner.get(k, set()) for k in self.universe}
                )
            case And(left, right):
                a, b = self.run(left), self.run(right)
                return self.cleaned({k: a[k] & b[k] for k in a.keys() & b.keys()})
            case Or(left, right):
                a, b = self.run(left), self.run(right)
                return {k: a.get(k, set()) | b.get(k, set()) for k in a.keys() | b.keys()}
            case Near(left, right, scope):
                a, b = self.run(left), self.run(right)
                found = {}
                for k in a.keys() & b.keys():
                    runs_a, runs_b = runs(a[k]), runs(b[k])
                    kept = [x for x in runs_a if any(self.near(k[0], x, y, scope) for y in runs_b)]
                    kept += [y for y in runs_b if any(self.near(k[0], x, y, scope) for x in runs_a)]
                    found[k] = {i for start, end in kept for i in range(start, end)}
                return self.cleaned(found)
        raise TypeError(node)

    def near(self, transcript: str, x: tuple[int, int], y: tuple[int, int], scope: int | str) -> bool:
        if isinstance(scope, int):
            return max(x[0], y[0]) - min(x[1], y[1]) <= scope
        units = TextUnits(
            self.project.transcripts.text_of(transcript), self.project.transcripts.turns(transcript)
        )
        unit = Unit.TURN if scope == "turn" else Unit.PARAGRAPH
        xs, ys = units.expand(*x, unit), units.expand(*y, unit)
        return bool(set(range(*xs)) & set(range(*ys)))

    @staticmethod
    def cleaned(found: Chars) -> Chars:
        return {k: v for k, v in found.items() if v}


def people_coders(project: Project) -> list[Coder]:
    return [c for name in CODERS if (c := people.coder_by_name(project.db, name)) is not None]


def runs(chars: set[int]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for i in sorted(chars):
        if found and found[-1][1] == i:
            found[-1] = (found[-1][0], i + 1)
        else:
            found.append((i, i + 1))
    return found


@pytest.fixture
def stocked(project: Project, study: dict[str, str]) -> Iterator[Project]:
    people.ensure_coder(project.db, "Bob")
    yield project


def test_every_operator_agrees_with_brute_force(stocked: Project) -> None:
    project = stocked
    coders = {c.name: c.uuid for c in people_coders(project)}
    themes = {path: project.codebook.find(path).uuid for path in THEMES}
    transcripts = {t.name: t for t in project.transcripts.all()}

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(codings, st.lists(queries, min_size=1, max_size=3))
    def check(made: list[tuple[str, str, str, float, int]], trees: list[Node]) -> None:
        with project.db.atomic():
            for old in coding_rows.listing(project.db):
                coding_rows.delete(project.db, old.uuid)
            coded = []
            for name, theme, coder, where, length in made:
                transcript = transcripts[name]
                start = int(where * transcript.length)
                end = min(transcript.length, start + length)
                coded.append(
                    Coding(new_uuid(), transcript.uuid, themes[theme], start, end, coders[coder], now())
                )
                coding_rows.insert(project.db, coded[-1])
        brute = BruteForce(project, coded)
        for tree in trees:
            expected = brute.run(tree)
            found = found_spans(project, unparse(tree))
            as_chars = {k: {i for s, e in spans for i in range(s, e)} for k, spans in found.items()}
            assert as_chars == expected, unparse(tree)
            for spans in found.values():  # passages are the maximal runs: apart, in order
                assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
            passages = run_query(project, tree)
            expected_passages = sorted(
                (transcripts_by_uuid[k[0]], start, end)
                for k, chars in expected.items()
                for start, end in runs(chars)
            )
            assert sorted((p.transcript, p.start, p.end) for p in passages) == expected_passages
            for p in passages:
                assert p.text == project.transcripts.text_of(p.transcript_uuid)[p.start : p.end]

    transcripts_by_uuid = {t.uuid: t.name for t in transcripts.values()}
    check()


def test_near_turn_with_stored_turns_out_of_order(stocked: Project) -> None:
    """Turns as a damaged or hand-edited project may hold them (overlapping, out of order): NEAR/TURN
    reads them as TextUnits does, clipped to follow each other."""
    project = stocked
    jsw2 = project.transcripts.find("jsw2")
    turns = project.transcripts.turns("jsw2")
    assert len(turns) >= 3
    with project.db.atomic():  # the first turn runs over the whole of the second
        project.db.execute(
            'UPDATE turns SET "end" = ? WHERE transcript_uuid = ? AND ordinal = 0', [turns[1].end, jsw2.uuid]
        )
    code(project, jsw2.uuid, "How is the caseload", "Workload")
    code(project, jsw2.uuid, "Heavy.", "Support")
    code(project, jsw2.uuid, "The team is kind.", "Support")
    coded = coding_rows.listing(project.db)
    for query in ('"Workload" NEAR/TURN "Support"', '"Workload" NEAR/PARAGRAPH "Support"'):
        expected = BruteForce(project, coded).run(parse(query))
        found = found_spans(project, query)
        assert {k: {i for s, e in v for i in range(s, e)} for k, v in found.items()} == expected, query
    assert found_spans(project, '"Workload" NEAR/TURN "Support"') != {}
