"""The shape of the house: a Qt-free core, all SQL in the store, lint and types clean."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
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


def test_the_app_window_loads_no_export_until_one_is_asked_for() -> None:
    """Opening the app does not pay for the exports (python-docx's and openpyxl's writers, the report
    and chart builders): they load on the first export, chart or certificate."""
    script = (
        "import os, sys\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "import jswcoder.ui.main_window\n"
        "print(sorted(m for m in sys.modules if m == 'openpyxl' or m.startswith('jswcoder.reports')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"


SQL_MARKERS = (".execute(", ".executemany(", "executescript(", "db.query(", "conn.query(")
# sqlite-utils' table API, whatever the name of the Database it is called on.
TABLE_API = {
    "table",
    "rows_where",
    "insert_all",
    "upsert",
    "upsert_all",
    "create_table",
    "table_names",
    "create_index",
}
# The names a Database goes by outside the store: `db`, `self._db`, `project.db`.
DATABASE_NAMES = {"db", "_db"}


def _is_database(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id in DATABASE_NAMES) or (
        isinstance(node, ast.Attribute) and node.attr in DATABASE_NAMES
    )


def store_reaches(source: str) -> list[str]:
    """What a module outside ``jswcoder/store/`` does that only the store may: SQL, the driver, tables.

    Outside the store a Database is passed to store functions (``meta.get(project.db, ...)``: they
    take it) or holds a transaction around them (``with project.db.atomic():``); nothing else is
    done with it: no ``db["table"]``, no ``db.table(...)``, no ``db.conn``.
    """
    found = [marker for marker in SQL_MARKERS if marker in source]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"imports {n}" for n in names if n.split(".")[0] in ("sqlite3", "sqlcipher3")]
        elif isinstance(node, ast.Subscript) and _is_database(node.value):
            found.append(f"line {node.lineno}: a table by name")
        elif isinstance(node, ast.Attribute) and _is_database(node.value) and node.attr != "atomic":
            found.append(f"line {node.lineno}: the database's .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in TABLE_API
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(")
    return found


def test_sql_the_driver_and_tables_live_only_in_the_store() -> None:
    offenders = {
        str(path.relative_to(REPO)): found
        for path in _modules(exclude="store")
        if (found := store_reaches(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "line",
    [
        "import sqlite3",
        "from sqlcipher3 import dbapi2",
        "rows = project.db.execute('SELECT * FROM codes')",
        "self._db['codes'].insert({'uuid': uuid})",
        "rows = list(db['codes'].rows)",
        "codes = project.db.table('codes')",
        "table = tables.table('codes')",
        "db.conn.close()",
        "names = self.db.table_names()",
        "found = people.rows_where('name = ?', [name])",
    ],
)
def test_the_store_check_finds_a_planted_offence(line: str) -> None:
    assert store_reaches(f"def f(project, db, self, people, tables):\n    {line}\n") != []


def test_the_store_check_lets_a_database_be_passed_and_hold_a_transaction() -> None:
    allowed = (
        "def f(project, self):\n"
        "    with project.db.atomic():\n"
        "        meta.put(project.db, 'key', 'value')\n"
        "    self.db = project.db\n"
        "    database.close(self.db)\n"
        "    rows = {'codes': 1}['codes']\n"
    )
    assert store_reaches(allowed) == []


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


# -- the layers (import-linter's contracts in pyproject.toml) -------------------------------------------


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "lint-imports"
    assert tool.exists(), "import-linter is not installed next to this Python (pip install -e '.[test]')"
    # The package under cwd is the one analysed; a wide console keeps each contract's verdict on one line.
    env = {**os.environ, "PYTHONPATH": str(cwd), "COLUMNS": "500"}
    return subprocess.run(
        [str(tool), "--no-cache"], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def _contract_names() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["name"] for contract in config["tool"]["importlinter"]["contracts"]]


def test_the_import_contracts_are_kept() -> None:
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    names = _contract_names()
    assert len(names) >= 5
    for name in names:
        assert f"{name} KEPT" in done.stdout


# One planted import per contract, each against what that contract forbids: module -> what it imports.
PLANTED = {
    "jswcoder.store.meta": "jswcoder.project",  # a lower layer reaching a higher one
    "jswcoder.errors": "jswcoder.store.meta",  # the foundation reaching the store
    "jswcoder.team.keys": "jswcoder.analysis",  # the team facet's imports reaching above the project
    "jswcoder.team.envelope": "jswcoder.team.exchange",  # the team's bottom reaching its top
    "jswcoder.team.exchange": "jswcoder.reports",  # the team leaning on an export
    "jswcoder.reports.base": "jswcoder.team.keys",  # an export leaning on the team
    "jswcoder.services.codings": "PySide6.QtCore",  # Qt in the core
}


def test_every_import_contract_fails_on_a_planted_import(tmp_path: Path) -> None:
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "jswcoder", ignore=shutil.ignore_patterns("__pycache__"))
    for module, imported in PLANTED.items():
        with tmp_path.joinpath(*module.split(".")).with_suffix(".py").open("a", encoding="utf-8") as source:
            source.write(f"\nimport {imported}\n")
    done = _lint_imports(tmp_path)
    assert done.returncode != 0
    for name in _contract_names():
        assert f"{name} BROKEN" in done.stdout, f"no planted import breaks {name!r}:\n{done.stdout}"
    for module, imported in PLANTED.items():
        shown = imported if imported.startswith("jswcoder.") else imported.split(".")[0]
        assert f"{module} -> {shown} (l." in done.stdout


def test_no_module_imports_itself_through_others() -> None:
    """No import cycles, type-checking imports included (the team facet once made one through the project)."""
    graph = grimp.build_graph("jswcoder")
    cycles = sorted(
        f"{importer} -> {imported}"
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert len(graph.modules) > 100
    assert cycles == []
