"""The coding-query language: what each form means, the refusals with their position, and two properties
(a printed tree parses back to itself; any text either parses or is refused with the plain error)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.errors import JswError
from jswcoder.services.query_parse import (
    MAX_DEPTH,
    MAX_PARTS,
    And,
    Filter,
    Near,
    Node,
    Not,
    Or,
    QuerySyntaxError,
    Theme,
    parse,
    unparse,
)

A, B, C = Theme("A"), Theme("B"), Theme("C")


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ('"Funding/Training"', Theme("Funding/Training")),
        ('"Funding"/*', Theme("Funding", subthemes=True)),
        ('"Funding" / *', Theme("Funding", subthemes=True)),
        ('"A" AND "B"', And(A, B)),
        ('"A" and "B"', And(A, B)),
        ('"A" OR "B" AND "C"', Or(A, And(B, C))),
        ('("A" OR "B") AND "C"', And(Or(A, B), C)),
        ('"A" NOT "B"', And(A, Not(B))),
        ('"A" AND NOT "B"', And(A, Not(B))),
        ('NOT "A"', Not(A)),
        ('"A" NEAR/200 "B"', Near(A, B, 200)),
        ('"A" NEAR/TURN "B"', Near(A, B, "turn")),
        ('"A" near/paragraph "B"', Near(A, B, "paragraph")),
        ('"A" AND "B" NEAR/5 "C"', And(A, Near(B, C, 5))),
        ('"A" OR "B" OR "C"', Or(Or(A, B), C)),
        ('"say \\"no\\" \\\\ yes"', Theme('say "no" \\ yes')),
        ('participant_group = "Client"', Filter("participant_group", "=", ("Client",))),
        ("group = Client", Filter("group", "=", ("Client",))),
        ("interview_number != 7", Filter("interview_number", "!=", ("7",))),
        ('format IN ("group", paired)', Filter("format", "in", ("group", "paired"))),
        ('mode NOT IN ("video")', Filter("mode", "not in", ("video",))),
        ('[Years in post] = "5"', Filter("Years in post", "=", ("5",))),
        ('coder = "Ailsa" AND "A"', And(Filter("coder", "=", ("Ailsa",)), A)),
    ],
)
def test_each_form_means_what_the_grammar_says(query: str, tree: Node) -> None:
    assert parse(query) == tree
    assert parse(unparse(tree)) == tree


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"Funding/Training" AND ', "at character 24 (the end): expected a theme path in double quotes"),
        ('"A" AND AND "B"', "at character 9: expected a theme path in double quotes"),
        ("Funding AND", "at character 9: expected =, != or IN after 'Funding'"),
        ('"A" "B"', "at character 5: expected AND, OR, NOT or NEAR between two parts"),
        ('("A" OR "B"', "at character 12 (the end): expected ) to close the ( at character 1"),
        ('"A")', "at character 4: this ) closes no ("),
        ('"A" NEAR "B"', "at character 10: expected / after NEAR"),
        ('"A" NEAR/soon "B"', "at character 10: expected a number of characters, TURN or PARAGRAPH"),
        ('"A', "at character 1: this double quote is never closed"),
        ('"A"/', "at character 5 (the end): expected * after the theme's /"),
        ('"A" & "B"', "at character 5: '&' has no meaning in a query"),
        ("group = ", "at character 9 (the end): expected a value, in double quotes"),
        ('format IN ("a" "b")', "at character 16: expected , or ) after a value"),
        ("[Years in post = 5", "at character 1: a key in [brackets] needs its closing ]"),
        ("", "at character 1 (the end): expected a theme path in double quotes"),
        ('"a\\b"', "at character 3: inside quotes a backslash is written"),
    ],
)
def test_a_malformed_query_is_refused_with_the_position(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as refused:
        parse(query)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


def test_nesting_and_length_have_limits_not_a_crash() -> None:
    with pytest.raises(QuerySyntaxError, match="nested more than"):
        parse("(" * (MAX_DEPTH + 5) + '"A"' + ")" * (MAX_DEPTH + 5))
    with pytest.raises(QuerySyntaxError, match="nested more than"):
        parse("NOT " * 500 + '"A"')
    with pytest.raises(QuerySyntaxError, match="at most 10,000 characters"):
        parse('"A" OR ' * 2000)
    with pytest.raises(QuerySyntaxError, match=f"at most {MAX_PARTS} themes"):
        parse(" AND ".join(['"A"'] * (MAX_PARTS + 1)))
    long_chain = parse(" OR ".join(['"A"'] * MAX_PARTS))
    assert parse(unparse(long_chain)) == long_chain


# -- properties -------------------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_keys = st.one_of(
    st.sampled_from(["participant_group", "council_area", "format", "mode", "coder", "interview_number"]),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="]"), min_size=1, max_size=10
    ).filter(lambda k: k.strip() != ""),
)
_leaves = st.one_of(
    st.builds(Theme, _text, st.booleans()),
    st.builds(
        lambda key, op, values: Filter(key, op, tuple(values[:1]) if op in ("=", "!=") else tuple(values)),
        _keys,
        st.sampled_from(["=", "!=", "in", "not in"]),
        st.lists(_text, min_size=1, max_size=3),
    ),
)
_scopes = st.one_of(st.integers(0, 100_000), st.sampled_from(["turn", "paragraph"]))
trees = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, inner, inner),
        st.builds(Or, inner, inner),
        st.builds(Near, inner, inner, _scopes),
    ),
    max_leaves=12,
)


@settings(max_examples=400)
@given(trees)
def test_a_printed_tree_parses_back_to_itself(tree: Node) -> None:
    assert parse(unparse(tree)) == tree


_pieces = st.sampled_from(
    ['"A"', '"B"/*', "AND", "OR", "NOT", "NEAR", "/", "200", "TURN", "(", ")", "=", "!=", "IN", ",", "group",
     '"', "[", "]", "\\", "*", " ", "'x'", "é", "\n"]
)  # fmt: skip


@settings(max_examples=400)
@given(st.one_of(st.text(max_size=40), st.lists(_pieces, max_size=25).map("".join)))
def test_any_text_parses_or_gets_the_plain_error(query: str) -> None:
    try:
        tree = parse(query)
    except QuerySyntaxError as refused:
        assert isinstance(refused, JswError)
        assert str(refused).startswith("at character ")
        assert 1 <= refused.position <= len(query) + 1
    else:
        assert parse(unparse(tree)) == tree
