"""The shape of the house: a Qt-free core, all SQL in the store, lint and types clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "jswcoder"
QT_BINDINGS = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _modules(exclude: str | None = None) -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if exclude is None or exclude not in p.relative_to(PACKAGE).parts
    ]


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_never_import_qt() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in _modules(exclude="ui")
        if any(name.split(".")[0] in QT_BINDINGS for name in _imported_names(path))
    ]
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    """Catches Qt arriving indirectly, through a dependency or a lazy import at module level."""
    core = [
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in _modules(exclude="ui")
        if path.name != "__main__.py"
    ]
    script = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in core)
    script += f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_BINDINGS!r}))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert len(core) > 20
    assert done.stdout.strip() == "[]"


def test_sql_and_the_database_driver_live_only_in_the_store() -> None:
    offenders = []
    for path in _modules(exclude="store"):
        source = path.read_text(encoding="utf-8")
        if any(name.split(".")[0] in ("sqlite3", "sqlcipher3") for name in _imported_names(path)):
            offenders.append(f"{path.name}: imports a database driver")
        for marker in (".execute(", ".executemany(", "executescript(", "db.query(", "conn.query("):
            if marker in source:
                offenders.append(f"{path.name}: {marker}")
    assert offenders == []


LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


def test_every_log_message_is_a_literal_template() -> None:
    """Text can reach the log only as an argument, where jswcoder.logs.PrivacyFilter drops it."""
    offenders, calls = [], 0
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in LOG_METHODS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("log", "logger", "logging")
            ):
                calls += 1
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert calls >= 3
    assert offenders == []


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "jswcoder", "tests", "benchmarks", "packaging"],
        ["ruff", "format", "--check", "jswcoder", "tests", "benchmarks", "packaging"],
        ["mypy", "jswcoder"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_lint_and_types(command: list[str]) -> None:
    tool = shutil.which(command[0], path=str(Path(sys.executable).parent))
    assert tool is not None, f"{command[0]} is not installed next to this Python (pip install -e '.[test]')"
    done = subprocess.run([tool, *command[1:]], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
