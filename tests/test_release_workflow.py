"""The release workflow (.github/workflows/release.yml) and the shell scripts that build packages:
linted here, since none of them runs in this repository's CI otherwise.

actionlint checks the workflow's syntax, expressions, action versions and (through shellcheck) its
shell steps; the tests below check that each platform's job self-tests its bundle with the same
``--self-test`` the .deb is checked with, and that the Linux job builds with the README's command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tests.test_readme import packaging_command

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
SHELL_SCRIPTS = [
    REPO / ".ci" / "run",
    *sorted((REPO / "packaging").rglob("*.sh")),
]


def _tool(name: str) -> str:
    """A linter from this environment (actionlint comes with the test extra, shellcheck from apt);
    CI installs both, so there a missing one is a failure, not a skip."""
    found = shutil.which(name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return found


def _jobs() -> dict[str, Any]:
    jobs: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    return jobs


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_actionlint_passes_on_the_release_workflow() -> None:
    done = subprocess.run(
        [_tool("actionlint"), "-shellcheck", _tool("shellcheck"), str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The control: a misspelt context in an expression and an unquoted shell variable are both found."""
    broken = WORKFLOW.read_text(encoding="utf-8")
    broken = broken.replace(
        "${{ secrets.WINDOWS_CERTIFICATE_PFX }}", "${{ secret.WINDOWS_CERTIFICATE_PFX }}", 1
    )
    broken = broken.replace("sudo apt-get install -y -qq ./dist/jswcoder_*.deb", "cd $HOME/x; ls", 1)
    path = tmp_path / ".github" / "workflows" / "release.yml"
    path.parent.mkdir(parents=True)
    path.write_text(broken, encoding="utf-8")
    done = subprocess.run(
        [_tool("actionlint"), "-shellcheck", _tool("shellcheck"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert 'undefined variable "secret"' in done.stdout
    assert "SC2086" in done.stdout  # shellcheck: double quote to prevent globbing and word splitting


def test_every_platform_is_built_on_its_runner_and_self_tested() -> None:
    jobs = _jobs()
    assert jobs["linux"]["runs-on"] == "ubuntu-22.04"  # glibc 2.35: Ubuntu 22.04 users are covered
    assert jobs["windows"]["runs-on"] == "windows-latest"
    assert jobs["macos"]["runs-on"] == "macos-latest"
    programs = {
        "linux": "build/bundle/jswcoder/jswcoder --self-test",
        "windows": "./build/bundle/jswcoder/jswcoder-cli.exe --self-test",
        "macos": "build/bundle/jswcoder.app/Contents/MacOS/jswcoder --self-test",
    }
    for name, program in programs.items():
        assert any(program in run for run in _runs(jobs[name])), f"{name} does not self-test its bundle"
    # The Windows portable zip is self-tested too, from where a user without admin rights unpacks it.
    assert any("windows-portable.zip" in run and "--self-test" in run for run in _runs(jobs["windows"]))
    # The release job waits for all three and runs only for a version tag.
    assert set(jobs["release"]["needs"]) == {"linux", "windows", "macos"}
    assert "refs/tags/v" in jobs["release"]["if"]


def test_the_linux_job_runs_the_readme_packaging_command_and_the_ci_self_test() -> None:
    runs = _runs(_jobs()["linux"])
    assert packaging_command() in runs
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    (ci_self_test,) = [line for line in ci if line.endswith("build/bundle/jswcoder/jswcoder --self-test")]
    assert ci_self_test in runs  # the same command, in the same empty environment


def test_signing_is_optional_and_secrets_reach_only_our_own_steps() -> None:
    """A secret goes only to a ``run`` step of ours (never to a third-party action's inputs), and
    each step or script that signs does so only when its certificate or identity is set."""
    guards = {
        "CERTIFICATE": ("if ($env:CERTIFICATE)", 'if [ -n "$CERTIFICATE" ]'),
        "JSWCODER_SIGN_PASSWORD": ("if ($env:JSWCODER_SIGN_PFX)",),
        "MACOS_SIGNING_IDENTITY": ('if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]',),
    }
    scripts = {
        "windows": (REPO / "packaging" / "windows" / "build.ps1").read_text(encoding="utf-8"),
        "macos": (REPO / "packaging" / "macos" / "make_dmg.sh").read_text(encoding="utf-8"),
    }
    seen = 0
    for name, job in _jobs().items():
        for step in job.get("steps", []):
            for variable, value in step.get("env", {}).items():
                if "secrets." not in str(value):
                    continue
                seen += 1
                assert "run" in step, f"{name}: {step.get('name')} hands a secret to an action"
                if variable in guards:
                    where = step["run"] + scripts.get(name, "")
                    assert any(guard in where for guard in guards[variable]), f"{name}: {variable} unguarded"
    assert seen >= 8


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: str(p.relative_to(REPO)))
def test_shell_scripts_pass_shellcheck(script: Path) -> None:
    done = subprocess.run(
        [_tool("shellcheck"), "-x", str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
