"""SPSS ``.sav`` survey exports read from memory through pyreadstat (issue 18).

Qualtrics, SmartSurvey and most university survey teams hand out SPSS files: closed answers are
stored as codes (``5``) with *value labels* ("Strongly agree"), and each variable has a short name
(``Q7``) and a *variable label* holding the question. A user coding answers wants the words, so every
coded cell is shown by its label (a code without one keeps its number), the variable's name is the
column's key and its label the question. Dates and times become ISO 8601 text, as in the workbooks.

pyreadstat reads from a file object (its readers call Python's ``read``/``seek``), so the bytes
already read into memory are parsed from an ``io.BytesIO``: no copy of the respondents' data is
written anywhere. pyreadstat (with numpy) is imported only when a ``.sav`` is read, not when the app
starts. ``survey_files`` turns the values into text as it does a workbook's cells. The file's header is read first, and a file claiming more variables, responses or cells than
a questionnaire holds is refused before its data are unpacked.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from jswcoder.errors import ImportRejected

MAX_CELLS = 10_000_000  # variables × responses: 5,000 × 40 is 200,000


def _value(value: object, labels: dict[float | int, str] | None) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None  # a missing answer (system- or user-missing)
    if labels is not None and value in labels:
        return labels[value]
    return value.strip() if isinstance(value, str) else value


def read_sav(
    path: Path, data: bytes, *, max_columns: int, max_rows: int
) -> tuple[list[str], list[str], list[list[object]]]:
    """The variable names, their labels (the name where there is none) and the rows (a label where
    the code has one, None where the answer is missing, else the value as stored: text, number,
    date), or :class:`ImportRejected` with one plain line."""
    import pyreadstat  # noqa: PLC0415  (only a .sav import needs it, with numpy)

    broken = (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, ValueError, OverflowError, UnicodeError)
    try:
        _, meta = pyreadstat.read_sav(io.BytesIO(data), metadataonly=True, output_format="dict")
    except broken:
        raise ImportRejected(path, "is not an SPSS data file (.sav) that can be read") from None
    names: list[str] = list(meta.column_names)
    if not names:
        raise ImportRejected(path, "has no variables: it holds no responses")
    if len(names) > max_columns:
        raise ImportRejected(path, f"has more than {max_columns:,} columns: no questionnaire holds that many")
    rows_claimed = int(meta.number_rows) if meta.number_rows is not None else -1
    limit = min(max_rows, MAX_CELLS // len(names))
    if rows_claimed > limit:
        raise ImportRejected(path, f"has more than {limit:,} responses; split the export")
    try:
        columns, meta = pyreadstat.read_sav(io.BytesIO(data), output_format="dict", row_limit=limit + 1)
    except broken:
        raise ImportRejected(
            path, "is not an SPSS data file (.sav) that can be read (is it cut short?)"
        ) from None
    values = [list(columns[name]) for name in names]
    count = len(values[0]) if values else 0
    if count > limit:
        raise ImportRejected(path, f"has more than {limit:,} responses; split the export")
    value_labels: dict[str, dict[float | int, str]] = dict(meta.variable_value_labels or {})
    labels = [label or name for name, label in zip(names, meta.column_labels, strict=True)]
    by_column = [
        [_value(v, value_labels.get(name)) for v in column]
        for name, column in zip(names, values, strict=True)
    ]
    rows = [list(row) for row in zip(*by_column, strict=True)]
    return names, [" ".join(label.split()) for label in labels], rows
