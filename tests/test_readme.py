"""The README's two commands stay true: CI runs the test command exactly as written."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("jswcoder is an offline tool")]
    return [
        line
        for block in re.findall(r"```bash\n(.*?)```", head, re.S)
        for line in block.splitlines()
        if not line.startswith("#")
    ]


def test_readme_starts_with_two_commands() -> None:
    install_demo, run_tests = _commands()
    assert install_demo.endswith("jswcoder demo")
    assert "pytest" in run_tests


def test_ci_runs_the_readme_test_command() -> None:
    _, run_tests = _commands()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert run_tests in ci


def packaging_command() -> str:
    """The README's command that builds the desktop packages."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Installing the desktop app") :]
    (build,) = [
        line
        for line in re.findall(r"```bash\n(.*?)```", section, re.S)[0].splitlines()
        if not line.startswith("#")
    ]
    return build


def test_ci_runs_the_readme_packaging_command() -> None:
    build = packaging_command()
    assert build.endswith("packaging/build.py")
    assert build in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
