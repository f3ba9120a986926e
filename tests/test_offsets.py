"""Tests for jswcoder.offsets: hand-worked examples, edge rules, and properties against encoding oracles."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder.offsets import Convention, MidCharacterError, OffsetMap

CP, U16, CRLF = Convention.CODEPOINTS, Convention.UTF16, Convention.UTF16_CRLF


def all_to_units(m: OffsetMap, text: str, convention: Convention) -> list[int]:
    return [m.to_units(o, convention) for o in range(len(text) + 1)]


# --- hand-checked examples -------------------------------------------------------------------------


def test_ascii_with_line_ends() -> None:
    text = "Hi\nyou\n"  # H0 i1 \n2 y3 o4 u5 \n6, 7 code points
    m = OffsetMap(text)
    assert all_to_units(m, text, CP) == [0, 1, 2, 3, 4, 5, 6, 7]
    assert all_to_units(m, text, U16) == [0, 1, 2, 3, 4, 5, 6, 7]  # Qt: \n is one separator
    # NVivo: H0 i1 \r2 \n3 y4 o5 u6 \r7 \n8 -> "y" starts at 4, the end is 9
    assert all_to_units(m, text, CRLF) == [0, 1, 2, 4, 5, 6, 7, 9]
    assert (m.length(CP), m.length(U16), m.length(CRLF)) == (7, 7, 9)
    assert m.from_units(4, CRLF) == 3  # "y"
    assert m.from_units(9, CRLF) == 7  # end of text


def test_emoji_and_line_end() -> None:
    text = "a😀b\nc"  # a0 😀1 b2 \n3 c4, 5 code points
    m = OffsetMap(text)
    assert all_to_units(m, text, CP) == [0, 1, 2, 3, 4, 5]
    # UTF-16: a0, 😀 is the surrogate pair 1-2, b3, \n4, c5 -> length 6
    assert all_to_units(m, text, U16) == [0, 1, 3, 4, 5, 6]
    # NVivo: a0, 😀 1-2, b3, \r4 \n5, c6 -> length 7
    assert all_to_units(m, text, CRLF) == [0, 1, 3, 4, 6, 7]
    assert (m.length(CP), m.length(U16), m.length(CRLF)) == (5, 6, 7)
    assert [m.from_units(u, U16, snap="raise") for u in (0, 1, 3, 4, 5, 6)] == [0, 1, 2, 3, 4, 5]
    assert [m.from_units(u, CRLF, snap="raise") for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]


def test_flag_is_two_astral_code_points() -> None:
    text = "x🇫🇷y"  # x0, U+1F1EB 1, U+1F1F7 2, y3: the flag is two code points, each a surrogate pair
    m = OffsetMap(text)
    assert all_to_units(m, text, U16) == [0, 1, 3, 5, 6]  # x0, pair 1-2, pair 3-4, y5
    assert all_to_units(m, text, CRLF) == [0, 1, 3, 5, 6]  # no line ends, so same as UTF16
    assert m.length(CP) == 4


def test_combining_marks_count_one_each() -> None:
    text = "e\u0301te\u0301"  # "été" decomposed: e0 U+0301 1 t2 e3 U+0301 4; all BMP, no \n
    m = OffsetMap(text)
    for c in Convention:
        # code points, not grapheme clusters: the accent is its own position, and every unit is 1
        assert all_to_units(m, text, c) == [0, 1, 2, 3, 4, 5]
        assert m.length(c) == 5
        assert m.from_units(1, c, snap="raise") == 1


def test_nbsp_and_curly_quotes_are_one_unit() -> None:
    text = "\u201cHi\u00a0you\u201d\n!"  # “0 H1 i2 NBSP3 y4 o5 u6 ”7 \n8 !9: 10 code points, all BMP
    m = OffsetMap(text)
    # In UTF-8 the quotes take 3 bytes and NBSP 2 (3+2+2+3+3+1+1 = 15), yet each counts 1 everywhere here.
    assert len(text.encode("utf-8")) == 15
    assert m.length(CP) == 10
    assert m.length(U16) == 10
    assert m.length(CRLF) == 11  # only the \n grows
    assert m.to_units(8, CRLF) == 8  # the \n starts where it did
    assert m.to_units(9, CRLF) == 10  # "!" comes after \r\n
    assert m.to_units(9, U16) == 9


def test_empty_text() -> None:
    m = OffsetMap("")
    for c in Convention:
        assert m.length(c) == 0
        assert m.to_units(0, c) == 0
        assert m.from_units(0, c, snap="raise") == 0
        with pytest.raises(ValueError, match="outside"):
            m.to_units(1, c)


# --- snapping ----------------------------------------------------------------------------------------


def test_snap_inside_surrogate_pair() -> None:
    m = OffsetMap("a😀b")  # UTF-16: a0, high surrogate 1, low surrogate 2, b3
    assert m.from_units(2, U16) == 1  # default: start of the emoji
    assert m.from_units(2, U16, snap="before") == 1
    assert m.from_units(2, U16, snap="after") == 2  # just past it, at "b"
    with pytest.raises(MidCharacterError, match="position 2"):
        m.from_units(2, U16, snap="raise")
    assert m.from_units(2, CP, snap="raise") == 2  # in code points 2 is simply "b"


def test_snap_inside_crlf() -> None:
    m = OffsetMap("ab\ncd")  # NVivo: a0 b1 \r2 \n3 c4 d5
    assert m.from_units(3, CRLF) == 2  # between \r and \n -> start of the line end
    assert m.from_units(3, CRLF, snap="after") == 3  # -> start of "c"
    with pytest.raises(MidCharacterError):
        m.from_units(3, CRLF, snap="raise")
    assert m.from_units(3, U16, snap="raise") == 3  # Qt counts \n once: 3 is "c"


def test_snapping_a_range_outward_keeps_the_whole_character() -> None:
    text = "I 😀 it"  # I0 ' '1 😀2 ' '3 i4 t5; UTF-16: 😀 is units 2-3
    m = OffsetMap(text)
    # A producer selected only the low surrogate (units 3..4): widen to the whole emoji.
    start, end = m.from_units(3, U16, snap="before"), m.from_units(4, U16, snap="after")
    assert text[start:end] == "😀"


def test_mid_character_error_is_a_value_error() -> None:
    assert issubclass(MidCharacterError, ValueError)


def test_unknown_snap_is_rejected_even_on_a_boundary() -> None:
    m = OffsetMap("a😀b")
    with pytest.raises(ValueError, match="snap must be"):
        m.from_units(0, U16, snap="nearest")  # type: ignore[arg-type]


# --- errors and immutability -------------------------------------------------------------------------


@pytest.mark.parametrize("convention", list(Convention))
def test_out_of_range(convention: Convention) -> None:
    m = OffsetMap("a😀\nb")  # lengths: CP 4, UTF16 5, UTF16_CRLF 6
    with pytest.raises(ValueError, match=r"offset -1 is outside the text \(0 to 4\)"):
        m.to_units(-1, convention)
    with pytest.raises(ValueError, match=r"offset 5 is outside"):
        m.to_units(5, convention)
    n = m.length(convention)
    assert m.from_units(n, convention, snap="raise") == 4
    with pytest.raises(ValueError, match=rf"position {n + 1} is outside the text \(0 to {n} in "):
        m.from_units(n + 1, convention)
    with pytest.raises(ValueError, match="position -1 is outside"):
        m.from_units(-1, convention, snap="after")


def test_out_of_range_is_not_a_mid_character_error() -> None:
    with pytest.raises(ValueError) as info:
        OffsetMap("😀").from_units(3, U16)
    assert not isinstance(info.value, MidCharacterError)


def test_map_is_immutable() -> None:
    m = OffsetMap("abc")
    with pytest.raises(AttributeError):
        m._len = 5
    with pytest.raises(AttributeError):
        m.extra = 1
    with pytest.raises(AttributeError):
        del m._len
    assert m.length(CP) == 3


# --- properties --------------------------------------------------------------------------------------

texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            ["\n", "\r", "a", " ", "\u00a0", "\u0301", "\u201c", "😀", "\U00010000", "\U0010ffff"]
        ),
        st.characters(exclude_categories=["Cs"]),  # any code point but lone surrogates
        st.characters(min_codepoint=0x10000, exclude_categories=["Cs"]),  # astral only
    ),
    max_size=60,
)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def oracle_units(text: str, offset: int, convention: Convention) -> int:
    prefix = text[:offset]
    if convention is CP:
        return len(prefix)
    if convention is U16:
        return utf16_len(prefix)
    return utf16_len(prefix.replace("\n", "\r\n"))


@given(texts)
def test_to_units_matches_encoding_oracle(text: str) -> None:
    m = OffsetMap(text)
    for c in Convention:
        assert all_to_units(m, text, c) == [oracle_units(text, o, c) for o in range(len(text) + 1)]


@given(texts)
def test_lengths_match_encoding_oracle(text: str) -> None:
    m = OffsetMap(text)
    assert m.length(CP) == len(text)
    assert m.length(U16) == utf16_len(text)
    assert m.length(CRLF) == utf16_len(text.replace("\n", "\r\n"))
    for c in Convention:
        assert m.to_units(len(text), c) == m.length(c)


@given(texts)
def test_round_trip_is_exact(text: str) -> None:
    m = OffsetMap(text)
    for c in Convention:
        for o in range(len(text) + 1):
            assert m.from_units(m.to_units(o, c), c, snap="raise") == o


@given(texts)
def test_to_units_strictly_increasing(text: str) -> None:
    m = OffsetMap(text)
    for c in Convention:
        units = all_to_units(m, text, c)
        assert all(a < b for a, b in itertools.pairwise(units))


@given(texts)
def test_from_units_snaps_to_nearest_boundary(text: str) -> None:
    m = OffsetMap(text)
    for c in Convention:
        boundaries = all_to_units(m, text, c)
        for u in range(m.length(c) + 1):
            before = max(o for o, b in enumerate(boundaries) if b <= u)
            after = min(o for o, b in enumerate(boundaries) if b >= u)
            assert m.from_units(u, c) == before
            assert m.from_units(u, c, snap="before") == before
            assert m.from_units(u, c, snap="after") == after
            if u in boundaries:
                assert before == after == m.from_units(u, c, snap="raise")
            else:
                assert after == before + 1  # inside exactly one two-unit character
                with pytest.raises(MidCharacterError):
                    m.from_units(u, c, snap="raise")
