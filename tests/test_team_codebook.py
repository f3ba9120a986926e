"""One team codebook (issue 14, part 1): a lead and two fieldworkers who all start from the same template.

Ailsa made her project (from the template) before joining; Hamish made his by joining. Both code with
template themes and each adds one theme of their own. At the lead the template's themes stay the
template's (no clashes, no copies under Emergent themes), the matrix columns are the team's themes, and
only the genuinely new themes are emergent. An unchanged project then sends nothing, and a theme the
lead folds into a team theme converges on the fieldworker's laptop too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jswcoder import templates
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.membership import FingerprintMismatch
from jswcoder.team.starting import join_as_new_project
from jswcoder.team.theme_paths import EMERGENT, normalised
from tests.conftest import FAST_KDF, PASSPHRASE, make_project, write_txt

CARE = "Ethos and approach/Care and control"
AILSA_TEXT = "P1: We hold both care and control in one role. Hope keeps people going.\n"
HAMISH_TEXT = "P1: Care and control sit together here. Housing is the real problem.\n"


def _import(project: Project, folder: Path, interview: int, text: str) -> str:
    source = write_txt(folder, f"int_{interview}.txt", text)
    project.transcripts.import_file(source, ParticipantFields("Justice social workers", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])
    return project.transcripts.all()[0].uuid


def _code(project: Project, transcript: str, text: str, phrase: str, theme: str) -> None:
    start = text.index(phrase)
    project.codings.add(transcript, start, start + len(phrase), project.codebook.find(theme).uuid)


def test_three_people_from_one_template_share_one_codebook(tmp_path: Path) -> None:
    template = templates.by_key("jsw-study")
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    templates.apply(template, lead.codebook)
    lead.team.create("JSW team")
    # The template's own "Emergent themes" folder is for each coder's new themes: not the team's.
    team_paths = {c.path for c in lead.codebook.all() if c.path != EMERGENT}
    assert len(team_paths) == 54

    # Ailsa's own project, from the same template, made before she joined; she has a theme of her own.
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    templates.apply(template, ailsa.codebook)
    ailsa.codebook.add("Ethos and approach/Hope", origin="emergent")
    transcript = _import(ailsa, tmp_path / "in_a", 1, AILSA_TEXT)
    _code(ailsa, transcript, AILSA_TEXT, "We hold both care and control in one role", CARE)
    _code(ailsa, transcript, AILSA_TEXT, "Hope keeps people going", "Ethos and approach/Hope")
    with pytest.raises(FingerprintMismatch):
        ailsa.team.join(lead.team.team_file(), fingerprint="0000-0000-0000-0000")
    assert ailsa.team.role() is None
    joined = ailsa.team.join(lead.team.team_file(), fingerprint=lead.team.fingerprint().lower())
    assert len(joined.codebook.adopted) == 54 and joined.codebook.added == []
    assert sorted(joined.codebook.local) == [EMERGENT, "Ethos and approach/Hope"]
    assert {c.path for c in ailsa.codebook.all()} - team_paths == {EMERGENT, "Ethos and approach/Hope"}
    assert {c.uuid for c in ailsa.codebook.all() if c.path in team_paths} == {
        c.uuid for c in lead.codebook.all() if c.path in team_paths
    }
    assert [p.code_path for p in ailsa.codings.passages()].count(CARE) == 1

    # Hamish makes his project by joining: the team codebook and nothing else.
    hamish, _, _ = join_as_new_project(
        tmp_path / "hamish",
        lead.team.team_file(),
        fingerprint=lead.team.fingerprint(),
        coder="Hamish",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    assert hamish.name == "JSW team"
    assert {c.uuid for c in hamish.codebook.all()} == {
        c.uuid for c in lead.codebook.all() if c.path in team_paths
    }
    transcript = _import(hamish, tmp_path / "in_h", 2, HAMISH_TEXT)
    hamish.codebook.add("Housing", origin="emergent")
    _code(hamish, transcript, HAMISH_TEXT, "Care and control sit together here", CARE)
    _code(hamish, transcript, HAMISH_TEXT, "Housing is the real problem", "Housing")

    with lead, ailsa, hamish:
        for member in (ailsa, hamish):
            assert sync_fieldworker(member, stick).package is not None
        sync_lead(lead, stick)
        lead.team.admit("Ailsa", ailsa.team.fingerprint())
        lead.team.admit("hamish", hamish.team.fingerprint())
        report = sync_lead(lead, stick)
        assert sorted(m.member_name for m in report.merged) == ["Ailsa", "Hamish"]
        assert [m.name_collisions for m in report.merged] == [[], []]

        new = {c.path for c in lead.codebook.all()} - team_paths - {EMERGENT}
        assert all(path.startswith(f"{EMERGENT}/") for path in new)
        leaves = {path.rsplit("/", 1)[-1] for path in new} - {
            EMERGENT,
            "Ailsa",
            "Hamish",
            "Ethos and approach",
        }
        assert leaves == {"Hope", "Housing"}

        matrix = build_matrix(lead, level=1, all_coders=True)
        columns = [theme.code.path for theme in matrix.themes]
        assert set(columns) - {EMERGENT} == {p for p in team_paths if "/" not in p}
        ethos = columns.index("Ethos and approach")
        assert matrix.participants(ethos) == 2  # both members' care-and-control passages, in one column

        # The team file carries the team codebook only: nobody's emergent folder comes back to them, and
        # members' own themes are not republished on the stick.
        published = (stick / "team.jswteam").read_bytes()
        assert b"Hope" not in published and b"Housing" not in published and b"Ailsa" not in published
        for member in (ailsa, hamish):
            sync_fieldworker(member, stick)
            assert not any(c.path.startswith(f"{EMERGENT}/") for c in member.codebook.all())
        # Nothing changed on the laptops: nothing is sent, however often they sync.
        sync_lead(lead, stick)
        for member in (ailsa, hamish):
            again = sync_fieldworker(member, stick)
            assert again.package is None and again.note == "nothing new to send"
        assert sync_lead(lead, stick).merged == []

        # The lead folds Ailsa's "Hope" into a team theme, once; her laptop follows at her next sync.
        hope = next(c for c in lead.codebook.all() if c.path.endswith("/Hope"))
        lead.codebook.merge(hope.uuid, lead.codebook.find(CARE).uuid)
        sync_lead(lead, stick)  # publishes the codebook with the alias
        update = sync_fieldworker(ailsa, stick)
        assert update.codebook is not None and update.codebook.adopted == ["Ethos and approach/Hope"]
        assert [p.code_path for p in ailsa.codings.passages()] == [CARE, CARE]
        assert update.package is not None  # her codings moved: that is news for the lead
        merged = sync_lead(lead, stick).merged
        assert [m.member_name for m in merged] == ["Ailsa"] and merged[0].name_collisions == []
        assert not any(c.path.endswith("/Hope") for c in lead.codebook.all())
        assert sorted(p.code_path for p in lead.codings.passages() if p.code_path == CARE) == [CARE] * 3


def test_adoption_folds_case_spaces_and_dashes_and_keeps_the_rest(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.codebook.add("Risk/Risk-taking")
    lead.codebook.add("Partnership working/Co-location")
    lead.team.create("JSW team")
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    text = "P1: He takes risks. We share an office. The bus is late.\n"
    transcript = _import(ailsa, tmp_path / "in", 1, text)
    ailsa.codebook.add("risk/Risk – taking")
    ailsa.codebook.add("Partnership  Working/co location/Same desk")
    ailsa.codebook.add("Transport")
    ailsa.pins.pin(3, ailsa.codebook.find("risk/Risk – taking").uuid)
    _code(ailsa, transcript, text, "He takes risks", "risk/Risk – taking")
    _code(ailsa, transcript, text, "We share an office", "Partnership  Working/co location/Same desk")
    with lead, ailsa:
        joined = ailsa.team.join(lead.team.team_file(), fingerprint=lead.team.fingerprint())
        assert sorted(joined.codebook.adopted) == [
            "Partnership  Working",
            "Partnership  Working/co location",
            "risk",
            "risk/Risk – taking",
        ]
        assert sorted(joined.codebook.local) == ["Partnership  Working/co location/Same desk", "Transport"]
        assert sorted(c.path for c in ailsa.codebook.all()) == [
            "Partnership working",
            "Partnership working/Co-location",
            "Partnership working/Co-location/Same desk",
            "Risk",
            "Risk/Risk-taking",
            "Transport",
        ]
        assert ailsa.codebook.find("Risk/Risk-taking").uuid == lead.codebook.find("Risk/Risk-taking").uuid
        assert ailsa.pins.all()[3] == ailsa.codebook.find("Risk/Risk-taking").uuid  # her key 3 still works
        assert sorted(p.code_path for p in ailsa.codings.passages()) == [
            "Partnership working/Co-location/Same desk",
            "Risk/Risk-taking",
        ]


def test_paths_compare_without_case_spaces_or_dashes() -> None:
    assert normalised("Risk/Risk-taking") == normalised("risk/ RISK – taking ") == "risk/risk taking"
    assert normalised("Co-location") != normalised("Colocation")


def test_join_with_a_wrong_fingerprint_makes_no_project(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    with lead:
        lead.team.create("JSW team")
        with pytest.raises(FingerprintMismatch, match="does not match"):
            join_as_new_project(
                tmp_path / "new",
                lead.team.team_file(),
                fingerprint="1234-5678-9ABC-DEF0",
                coder="Ailsa",
                passphrase=PASSPHRASE,
                kdf=FAST_KDF,
            )
        assert not (tmp_path / "new").exists()
