"""Recall and precision, per category, on an interview written for this test (nothing from the corpus).

The interview holds one or more of each kind of detail the rules are for: accented Gaelic names and
multi-word Gaelic places, a town's nickname, a hospital's short form, organisations made of everyday
words, vehicle registrations, names with no-break spaces, and listed names that are everyday words.
The scores are printed per category (``pytest -s`` shows them) and held to the issue's goal.
"""

from __future__ import annotations

from collections import Counter

from benchmarks.detection import key_occurrences
from jswcoder.anonymise.detect import suggest, whole_word_spans

INTERVIEW = """\
Interviewer: Thanks for coming in. Can you tell me how you first came to the service?
P1: Aye. I'd just come out of HMP\u00a0Grampian and my worker, Ùisdean, met me at the gate.
P1: Ùisdean drove me back to the Broch in his wee red Fiesta, SN68 WKD I think it was.
Interviewer: And where were you staying then?
P1: My auntie's, out at Baile a' Mhanaich for a bit, then a room through Harbour Lights Housing.
P1: Craig sorted the room. Craig was brilliant, to be fair.
Interviewer: Did anyone else help?
P1: Seònaid from Women's Aid, for my partner. And the lunches at Second Chance Kitchen.
P1: Then I took a bad turn and ended up in the BGH for a week. BGH nurses were kind.
P1: Grace Hunter, the sheriff's clerk, wrote to me there about the order.
Interviewer: How did the order go?
P1: Fine. Mairi\u00a0Beaton ran the squad, out on the paths past Tobar na Màthar.
"""

KEY = {
    "HMP\u00a0Grampian": "PRISON",
    "Ùisdean": "PERSON",
    "the Broch": "PLACE",
    "SN68 WKD": "OTHER",
    "Baile a' Mhanaich": "PLACE",
    "Harbour Lights Housing": "ORG",
    "Craig": "PERSON",
    "Seònaid": "PERSON",
    "Women's Aid": "ORG",
    "Second Chance Kitchen": "ORG",
    "the BGH": "ORG",
    "BGH": "ORG",
    "Grace Hunter": "PERSON",
    "Mairi\u00a0Beaton": "PERSON",
    "Tobar na Màthar": "PLACE",
}


def _inside(small: str, big: str) -> bool:
    return bool(whole_word_spans(small, big))


def test_recall_and_precision_per_category_on_an_invented_interview() -> None:
    candidates = suggest([INTERVIEW])
    covered = [span for c in candidates for span in whole_word_spans(c.text, INTERVIEW)]
    key = [{"text": text, "category": category} for text, category in KEY.items()]
    occurrences: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for _, category, _, a, b in key_occurrences(key, [INTERVIEW]):  # type: ignore[arg-type]
        occurrences[category] += 1
        found[category] += any(x <= a and b <= y for x, y in covered)
    suggested: Counter[str] = Counter(c.category for c in candidates)
    right: Counter[str] = Counter(
        c.category for c in candidates if any(_inside(c.text, k) or _inside(k, c.text) for k in KEY)
    )
    for category in sorted(set(occurrences) | set(suggested)):
        recall = f"{found[category]}/{occurrences[category]}"
        print(f"{category:8} recall {recall:>6}  precision {right[category]}/{suggested[category]}")
    recall_all = sum(found.values()) / sum(occurrences.values())
    precision_all = sum(right.values()) / sum(suggested.values())
    print(f"all      recall {recall_all:.1%}  precision {precision_all:.1%}")
    assert recall_all >= 0.97
    assert precision_all >= 0.6
