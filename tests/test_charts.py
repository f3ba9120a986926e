"""Charts for reports: ``jswcoder chart`` writes real PNG (300 dpi, 16 cm wide) and SVG files whose
labels are anonymised like any export; bars are drawn to scale; every bar, cell and stripe has a label."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from defusedxml import ElementTree
from PySide6.QtGui import QColor, QImage

from jswcoder.reports.charts import Bars
from jswcoder.ui.chart_painter import render_png, render_svg
from tests.test_cli import Cli
from tests.test_crosstab_cli import code_morags_rota
from tests.test_reports_cli import TEXT, cli  # noqa: F401  (the fixture: one coded, reviewed project)

SVG = "{http://www.w3.org/2000/svg}"


def _svg_texts(data: bytes) -> list[str]:
    root = ElementTree.fromstring(data)
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]


def test_frequency_chart_as_png_and_svg(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code_morags_rota(cli)
    png, svg = tmp_path / "frequency.png", tmp_path / "frequency.svg"
    for out in (png, svg):
        code, stdout, err = cli("chart", cli.project, "frequency", "--by", "mode", "--out", str(out))
        assert code == 0, err
        assert f"wrote the frequency chart to {out} (anonymised with the register)" in stdout
    image = QImage(str(png))
    assert image.width() == 1890  # 16 cm at 300 dpi
    assert round(image.dotsPerMeterX() * 0.0254) == 300
    texts = _svg_texts(svg.read_bytes())
    assert "Coded passages per theme, by mode" in texts
    assert {"Partnership working", "[WORKER]'s rota", "video", "2", "1", "passages"} <= set(texts)
    assert b"Morag" not in svg.read_bytes()


def test_cooccurrence_and_stripes_charts(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "heat.svg"
    code, _out, err = cli(
        "chart", cli.project, "cooccurrence", "--level", "2", "--unit", "turn", "--out", str(out)
    )
    assert code == 0, err
    texts = _svg_texts(out.read_bytes())
    assert "1. Partnership working/Co-location" in texts and "2. Partnership working/Rotas" in texts
    assert texts.count("1") >= 4  # the column numbers and each cell's count: both in one turn

    out = tmp_path / "stripes.svg"
    code, _out, err = cli("chart", cli.project, "stripes", "--transcript", "client_7", "--out", str(out))
    assert code == 0, err
    texts = _svg_texts(out.read_bytes())
    assert texts[0] == "Coding stripes: Client interview 7"
    assert "Coder 1" in texts  # a fieldworker's chart numbers its coders
    assert {"Partnership working/Co-location", "Partnership working/Rotas"} <= set(texts)

    code, _out, err = cli("chart", cli.project, "stripes", "--out", str(tmp_path / "s.png"))
    assert code != 0 and "--transcript" in err and not (tmp_path / "s.png").exists()
    code, _out, err = cli("chart", cli.project, "frequency", "--out", str(tmp_path / "f.pdf"))
    assert code != 0 and ".png or .svg" in err


def _bar_lengths(image: QImage, x: int) -> list[int]:
    """The length in pixels of each bar that crosses the column *x*: from x to its first white pixel."""
    white = QColor("white").rgb()
    rows = [y for y in range(image.height()) if image.pixel(x, y) != white]
    middles = []
    start = rows[0]
    for before, y in zip(rows, [*rows[1:], -1], strict=True):
        if y != before + 1:
            middles.append((start + before) // 2)
            start = y
    lengths = []
    for y in middles:
        end = x
        while end < image.width() and image.pixel(end, y) != white:
            end += 1
        lengths.append(end - x)
    return lengths


def test_bars_are_drawn_to_scale_with_a_label_each(qapp: object) -> None:
    chart = Bars("Title", ("Theme",), ("Half", "Whole"), ((5.0, 10.0),), "passages")
    image = QImage()
    assert image.loadFromData(render_png(chart), "PNG")
    scale = image.width() / 453.5
    left = round((12 + 150 + 6) * scale)  # the plot's left edge, past the themes' labels
    half, whole = _bar_lengths(image, left + 6)[:2]  # then the axis and its labels
    assert whole + 6 == pytest.approx(2 * (half + 6), rel=0.02)
    texts = _svg_texts(render_svg(chart))
    assert {"Half", "Whole", "5", "10", "Theme"} <= set(texts)
    assert all(re.fullmatch(r"[\w %.]+", t) for t in texts)
