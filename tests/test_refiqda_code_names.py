"""Unique theme names for tools that keep one code per name, and taking them back (jswcoder.refiqda.code_names),
on hand-made trees whose expected names are worked out by hand from the rule: every repeat but the first
(shallowest, then earliest) becomes "Name (Parent)", then "Name (Grandparent › Parent)", up to the whole
path, then "Name (Path, 2)"; names compared case-insensitively."""

from __future__ import annotations

import re
import uuid

import pytest

from jswcoder.refiqda.code_names import Named, restore, unique

pytest.importorskip("hypothesis")
from hypothesis import assume, given, settings
from hypothesis import strategies as st


def tree(*paths: str) -> list[Named]:
    """Codes from paths ("A/B/C"), parents first, each path's own key being the path."""
    codes = []
    for path in paths:
        parent, _, name = path.rpartition("/")
        codes.append(Named(path, parent or None, name))
    return codes


def renamed(codes: list[Named]) -> dict[str, str]:
    names = unique(codes)
    return {key: name for key, name in names.items() if name != next(c.name for c in codes if c.key == key)}


def read_back(codes: list[Named]) -> list[Named]:
    """The tree as a tool that kept ``unique``'s names gives it back to us."""
    names = unique(codes)
    return [Named(c.key, c.parent, names[c.key]) for c in codes]


def test_siblings_of_one_name() -> None:
    codes = [Named("P", None, "P"), Named("P/Trust", "P", "Trust"), Named("P/Trust#2", "P", "Trust")]
    assert renamed(codes) == {"P/Trust#2": "Trust (P)"}
    assert restore(read_back(codes)) == {"P/Trust#2": "Trust"}


def test_the_demo_codebooks_repeats_get_their_parent() -> None:
    codes = tree(
        "Partnership working",
        "Partnership working/Co-location",
        "Leadership and governance",
        "JSW and the National Care Service",
        "JSW and the National Care Service/Leadership and governance",
        "JSW and the National Care Service/Partnership working",
    )
    assert renamed(codes) == {
        "JSW and the National Care Service/Leadership and governance": "Leadership and governance (JSW and the National Care Service)",
        "JSW and the National Care Service/Partnership working": "Partnership working (JSW and the National Care Service)",
    }
    assert restore(read_back(codes)) == {
        "JSW and the National Care Service/Leadership and governance": "Leadership and governance",
        "JSW and the National Care Service/Partnership working": "Partnership working",
    }


def test_cousins_under_parents_of_one_name_need_the_path() -> None:
    codes = tree("Trust", "X", "X/P", "X/P/Trust", "Y", "Y/P", "Y/P/Trust")
    assert renamed(codes) == {
        "Y/P": "P (Y)",
        "X/P/Trust": "Trust (P)",
        "Y/P/Trust": "Trust (Y › P)",  # the parent's own name is not enough: X/P/Trust took "Trust (P)"
    }
    assert restore(read_back(codes)) == {"Y/P": "P", "X/P/Trust": "Trust", "Y/P/Trust": "Trust"}


def test_a_name_already_like_a_renamed_one_is_kept_and_the_repeat_counted() -> None:
    codes = tree("X", "X (P)", "P", "P/X")
    assert renamed(codes) == {"P/X": "X (P, 2)"}  # "X (P)" belongs to a code of its own
    back = read_back(codes)
    assert restore(back) == {"P/X": "X"}  # and the top-level "X (P)" keeps its name: P is not its parent
    three = tree("X", "P", "P/X", "Q", "Q/P", "Q/P/X", "Z", "Z/P", "Z/P/X")
    assert renamed(three)["Z/P/X"] == "X (Z › P)"
    assert renamed(three)["Q/P/X"] == "X (Q › P)"


def test_names_differing_only_in_case_clash() -> None:
    codes = tree("A", "A/trust", "B", "B/Trust", "C", "C/TRUST")
    assert renamed(codes) == {"B/Trust": "Trust (B)", "C/TRUST": "TRUST (C)"}
    assert len({n.casefold() for n in unique(codes).values()}) == len(codes)
    assert restore(read_back(codes)) == {"B/Trust": "Trust", "C/TRUST": "TRUST"}
    # "X (P)" is taken by a sibling's "x (p)" once casefolded: the repeat is counted instead
    clash = [
        Named("x", None, "x"),
        Named("P", None, "P"),
        Named("P/X", "P", "X"),
        Named("P/x (p)", "P", "x (p)"),
    ]
    assert renamed(clash) == {"P/X": "X (P, 2)"}


def test_names_with_brackets_of_their_own() -> None:
    codes = tree(
        "Support (practical)", "P", "P/Support (practical)", "Q (old)", "Q (old)/Support (practical)"
    )
    assert renamed(codes) == {
        "P/Support (practical)": "Support (practical) (P)",
        "Q (old)/Support (practical)": "Support (practical) (Q (old))",
    }
    assert restore(read_back(codes)) == {
        "P/Support (practical)": "Support (practical)",
        "Q (old)/Support (practical)": "Support (practical)",
    }
    assert restore(tree("Support (practical)", "P", "P/Other")) == {}


def test_the_names_depend_on_the_tree_alone() -> None:
    paths = ("Trust", "X", "X/P", "X/P/Trust", "Y", "Y/P", "Y/P/Trust", "Y/P/Trust/Trust")
    codes = tree(*paths)
    first = unique(codes)
    assert unique(codes) == first
    keys = {c.key: str(uuid.uuid4()) for c in codes}  # other identities, as another project would have
    again = unique([Named(keys[c.key], keys[c.parent] if c.parent else None, c.name) for c in codes])
    assert {key: again[keys[key]] for key in first} == first
    assert first["Y/P/Trust/Trust"] == "Trust (Trust)"  # its parent's own name, the parent being "Trust"


def test_another_tools_bracketed_names_are_left_as_they_are() -> None:
    # Names like ours, which our renaming would not have given: no repeat to disambiguate, or not the parent.
    assert restore(tree("Housing", "Housing/Rent (Housing)")) == {}
    nvivo = [Named("h", None, "Housing"), Named("r", "h", "Rent (Housing)"), Named("s", "h", "Rent (Other)")]
    assert restore(nvivo) == {}
    assert restore(tree("P", "P/Trust (Q)", "Trust")) == {}
    assert restore(tree("Trust", "P", "P/Trust (P, 2)")) == {}  # "Trust (P)" was free: we would not count
    assert restore(tree("A", "A/B")) == {}


# -- a property: the renaming is taken back whenever no original name already looks renamed ------------------------

NAMES = ["Trust", "trust", "P", "p", "Q", "Partnership working", "Support (practical)", "X (P)", "T (Q › P)"]


@st.composite
def trees(draw: st.DrawFn) -> list[Named]:
    size = draw(st.integers(1, 12))
    parents = [draw(st.integers(-1, i - 1)) for i in range(size)]
    names = [draw(st.sampled_from(NAMES)) for _ in range(size)]
    children: dict[int, list[int]] = {}
    for index, parent in enumerate(parents):
        children.setdefault(parent, []).append(index)
    ordered: list[Named] = []

    def visit(index: int) -> None:  # tree order: each code, then its children
        parent = parents[index]
        ordered.append(Named(f"k{index}", f"k{parent}" if parent >= 0 else None, names[index]))
        for child in children.get(index, []):
            visit(child)

    for top in children.get(-1, []):
        visit(top)
    return ordered


def looks_renamed(code: Named, by_key: dict[str, Named]) -> bool:
    """Whether the name ends in " (S)" or " (S, N)" where S is the tail of its ancestors' path or "top level"."""
    ancestors: list[str] = []
    parent = code.parent
    while parent is not None:
        ancestors.insert(0, by_key[parent].name)
        parent = by_key[parent].parent
    tails = {" › ".join(ancestors[-k:]) for k in range(1, len(ancestors) + 1)} | {"top level"}
    for match in re.finditer(r" \(", code.name):
        suffix = code.name[match.end() :]
        if suffix.endswith(")") and re.sub(r", \d+$", "", suffix[:-1]) in tails:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(trees())
def test_restore_takes_back_what_unique_gave(codes: list[Named]) -> None:
    by_key = {c.key: c for c in codes}
    assume(not any(looks_renamed(c, by_key) for c in codes))
    names = unique(codes)
    assert len({n.casefold() for n in names.values()}) == len(codes)
    assert unique([Named(c.key, c.parent, names[c.key]) for c in codes]) == names  # nothing left to rename
    restored = restore(read_back(codes))
    assert {c.key: restored.get(c.key, names[c.key]) for c in codes} == {c.key: c.name for c in codes}
