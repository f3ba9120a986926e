"""Regular-expression families for identifiers with a recognisable shape.

Each family yields ``(start, end, category, replacement)`` spans over one text. Shapes follow UK
conventions: Ofcom-style phone numbers, Royal Mail postcodes, HMRC National Insurance numbers, DVLA
vehicle registrations, and the slash- or hyphen-separated references that councils, courts and Police
Scotland give their cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    category: str
    replacement: str


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"

# Several patterns open with their first character's class, then look behind for the word boundary: the regular
# expression engine then skips quickly to candidate characters (a leading \b or look-behind is tried
# at every position, several times slower over a long transcript).
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)")
# Area code (optionally bracketed or after +44) then a subscriber number in one to three groups.
PHONE = re.compile(r"(?=[+(0])(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(0|0)\d{2,4}\)?(?:[\s-]?\d{2,4}){1,3}(?![\w])")
POSTCODE = re.compile(r"[A-Z](?<!\w.)[A-Z]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
NATIONAL_INSURANCE = re.compile(r"[A-Z](?<!\w.)[A-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
# Letter/digit groups joined by "/" or "-", at least three groups, with a digit somewhere:
# CJ/AB/22/0417, 23/PK/0061, PS-20230311-0442, HC-JSW-2022-0388.
CASE_REF = re.compile(r"[A-Z0-9](?<![\w/-].)[A-Z0-9]{0,9}(?:[/-][A-Z0-9]{1,10}){2,}(?![\w/-])")
# Two groups, a letter in one and a serial number as the other: ZX12/3456, SW-20231104 (not G7-2021).
CASE_REF_TWO = re.compile(r"([A-Z0-9](?<![\w/-].)[A-Z0-9]{1,9})[/-]([A-Z0-9]{2,10})(?![\w/-])")
# UK vehicle registrations: the current "SK19 XVB" (memory tag, age, three letters; I, Q and Z are not
# used in the tag) and the older prefix "P123 ABC" and suffix "ABC 123P" forms.
VEHICLE = re.compile(
    r"[A-HJ-PR-Y](?<!\w.)(?:[A-HJ-PR-Y]\d{2}\s?[A-HJ-PR-Z]{3}|\d{1,3}\s?[A-HJ-PR-Y]{3}|[A-HJ-PR-Y]{2}\s?\d{1,3}[A-HJ-PR-Y])\b"
)
ROAD = re.compile(r"[AMB](?<!\w.)\d{1,4}(?:\(M\))?\b")
DATE_WORDS = re.compile(
    rf"(?=[0-9tA-Z])\b(?:{_WEEKDAY},?\s+)?(?:(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?)\b"
)
DATE_RELATIVE = re.compile(rf"(?=[lnt])\b(?:last|next|this)\s+{_WEEKDAY},?\s+the\s+{_DAY}\b")
DATE_NUMBERS = re.compile(
    r"(?=\d)(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|1[0-2])\1(?:19|20)?\d\d(?![\w/.-])"
)
_STREET_SUFFIX = (
    r"(?:Street|Road|Avenue|Lane|Drive|Crescent|Terrace|Row|Gardens|Square|Wynd|Close|Place|Way|Brae"
    r"|Walk|Grove|Loan|Vennel|Quay|Parade|Circus)"
)
# One to three capitalised words (optionally "St") before a street suffix: Kinnoull Street, St Brycedale Avenue.
ADDRESS = re.compile(rf"(?=[A-Z])\b(?:St\.?\s)?(?:[A-Z][a-z]+(?:['’]s)?\s){{1,3}}{_STREET_SUFFIX}\b")
_NOT_STREET_HEAD = frozenset({"The", "This", "That", "Our", "Their", "My", "Your"})


def _serial(group: str) -> bool:
    """Four or more digits that are not a year."""
    return group.isdigit() and (len(group) > 4 or (len(group) == 4 and not re.fullmatch(_YEAR, group)))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def pattern_spans(text: str) -> Iterator[Span]:
    """Every span in ``text`` that one of the pattern families recognises."""
    for m in EMAIL.finditer(text) if "@" in text else ():
        yield Span(m.start(), m.end(), "EMAIL", "[EMAIL ADDRESS]")
    for m in PHONE.finditer(text):
        digits = _digits(m.group())
        national = digits[2:] if m.group().lstrip().startswith("+44") else digits
        if not national.startswith("0"):
            national = "0" + national
        if 10 <= len(national) <= 11:
            yield Span(m.start(), m.end(), "PHONE", "[PHONE NUMBER]")
    for m in POSTCODE.finditer(text):
        yield Span(m.start(), m.end(), "POSTCODE", "[POSTCODE]")
    for m in NATIONAL_INSURANCE.finditer(text):
        yield Span(m.start(), m.end(), "OTHER", "[NATIONAL INSURANCE NUMBER]")
    for m in CASE_REF.finditer(text):
        # Digits only would be a date or a plain number; letters only, an abbreviation.
        if any(ch.isdigit() for ch in m.group()) and any(ch.isalpha() for ch in m.group()):
            yield Span(m.start(), m.end(), "CASE_REF", "[CASE REFERENCE]")
    for m in CASE_REF_TWO.finditer(text):
        groups = m.groups()
        if any(ch.isalpha() for ch in m.group()) and any(_serial(g) for g in groups):
            yield Span(m.start(), m.end(), "CASE_REF", "[CASE REFERENCE]")
    for m in VEHICLE.finditer(text):
        yield Span(m.start(), m.end(), "OTHER", "[VEHICLE REGISTRATION]")
    for m in ROAD.finditer(text):
        yield Span(m.start(), m.end(), "PLACE", "[NAME OF ROAD]")
    for rx in (DATE_WORDS, DATE_RELATIVE, DATE_NUMBERS):
        for m in rx.finditer(text):
            start = m.start()
            if m.group().startswith("the "):
                start += 4  # "on the 14th of February": the date is "14th of February"
            yield Span(start, m.end(), "DATE", "[DATE]")
    for m in ADDRESS.finditer(text):
        words = m.group().split()
        if words[0] in _NOT_STREET_HEAD:
            continue
        yield Span(m.start(), m.end(), "ADDRESS", "[STREET NAME]")
