"""The files jswcoder reads at run time reach users: they are in the built wheel, and the wheel,
installed away from the source tree, finds them (the self-test, the demo and an anonymised export).

``.ci/run`` also installs the wheel with its dependencies into a fresh virtual environment outside
the checkout and runs ``--self-test`` and ``demo`` there; this file checks the same wheel from
inside the test run, so a failure shows which resource is missing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from jswcoder import resources
from jswcoder.anonymise import gazetteer
from jswcoder.demo import TEMPLATE
from jswcoder.refiqda.namespaces import _SCHEMA_FILES
from tests.conftest import REPO

PACKAGE = REPO / "jswcoder"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (path,) = out.glob("jswcoder-*.whl")
    return path


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _resource_calls() -> list[tuple[str, tuple[str | None, ...]]]:
    """Every ``resource(...)`` call in the package: the file it is in, and each argument's value
    (a string literal or a constant of jswcoder.resources), ``None`` where it is computed."""
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "resource":
                values: list[str | None] = []
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        values.append(arg.value)
                    elif isinstance(arg, ast.Name) and isinstance(getattr(resources, arg.id, None), str):
                        values.append(getattr(resources, arg.id))
                    else:
                        values.append(None)
                calls.append((str(path.relative_to(REPO)), tuple(values)))
    return calls


def _named_files() -> set[str]:
    """Files the code names, relative to jswcoder/resources: literal resource() calls, and the
    names the gazetteer, the demo and the REFI-QDA check build at run time."""
    named = {"/".join(args) for _file, args in _resource_calls() if len(args) > 1 and None not in args}
    named |= {f"{resources.GAZETTEER}/{stem}.txt" for stem in [*gazetteer.FILES, gazetteer.STOP_FILE]}
    named.add(f"{resources.CODEBOOKS}/{TEMPLATE}.json")
    named |= {f"{resources.REFI_QDA}/{name}" for name in _SCHEMA_FILES.values()}
    return named


def test_the_code_reaches_bundled_files_only_through_the_accessor() -> None:
    calls = _resource_calls()
    callers = {file for file, _args in calls}
    # Templates, the demo, the gazetteer, the icons and the REFI-QDA check.
    assert {
        "jswcoder/templates.py",
        "jswcoder/demo.py",
        "jswcoder/anonymise/gazetteer.py",
        "jswcoder/ui/app.py",
        "jswcoder/refiqda/namespaces.py",
    } <= callers
    for file, args in calls:
        assert args and args[0] in resources.FOLDERS, f"{file} names a folder that is not a resource folder"
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "_MEIPASS" not in text, f"{path}: the bundle is found through importlib.resources"
        assert "importlib.resources" not in text or path == PACKAGE / "resources" / "__init__.py", path


def test_every_file_the_code_names_is_in_the_source_and_the_wheel(wheel_names: set[str]) -> None:
    named = _named_files()
    assert len(named) >= 16  # 10 gazetteer lists, the demo's template, 3 demo plans, 2 schemas
    for name in sorted(named):
        assert (PACKAGE / "resources" / name).is_file(), f"the code names {name}, which is not in the source"
        assert f"jswcoder/resources/{name}" in wheel_names, f"the wheel lacks {name}"


def test_the_wheel_carries_every_resource_file_and_every_folder_has_some(wheel_names: set[str]) -> None:
    source = {
        str(path.relative_to(REPO))
        for path in (PACKAGE / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    missing = sorted(source - wheel_names)
    assert not missing, f"the wheel lacks {missing}"
    for folder in resources.FOLDERS:
        assert any(name.startswith(f"jswcoder/resources/{folder}/") for name in wheel_names), folder
    demo = [
        n for n in wheel_names if n.startswith("jswcoder/resources/demo/") and n.endswith((".txt", ".docx"))
    ]
    assert len(demo) == 4
    assert not any(name.startswith(("resources/", "tests/", "benchmarks/")) for name in wheel_names)


def test_an_unknown_folder_is_a_bug_not_a_path() -> None:
    with pytest.raises(ValueError, match="unknown resource folder"):
        resources.resource("secrets")


@pytest.mark.slow
def test_the_installed_wheel_finds_its_resources_away_from_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """The wheel unpacked by pip into a folder of its own (its dependencies from this test run),
    run from a folder outside the checkout: the self-test, the demo, a report and a .qdpx."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONPATH": str(target),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )

    where = run("-c", "import jswcoder.resources as r; print(r.resource(r.DEMO))")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(target)

    self_test = run("-m", "jswcoder", "--self-test", "--no-window")
    assert self_test.returncode == 0, self_test.stdout + self_test.stderr
    assert "self-test: passed (6 checks" in self_test.stdout

    folder = tmp_path / "demo"
    demo = run("-m", "jswcoder", "demo", "--no-window", "--folder", str(folder))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    env["JSWCODER_PASSPHRASE"] = "demo passphrase"
    # The theme report runs the identifier detector (the gazetteer); the .qdpx is checked against
    # the REFI-QDA schemas.
    report = run("-m", "jswcoder", "report", str(folder), "--out", str(tmp_path / "report.docx"))
    assert report.returncode == 0, report.stdout + report.stderr
    qdpx = run("-m", "jswcoder", "qdpx", "export", str(folder), str(tmp_path / "demo.qdpx"))
    assert qdpx.returncode == 0, qdpx.stdout + qdpx.stderr
    assert (tmp_path / "report.docx").stat().st_size > 0 and (tmp_path / "demo.qdpx").stat().st_size > 0
