"""A new passphrase must be hard to guess (zxcvbn's score 3 or more); one already in use still opens.

The key file can be copied and attacked offline, where Argon2id's cost per guess is the only brake, so
a passphrase from the top of a leaked-password list, or the project's own name, is refused with the
reason in plain words. The reason never repeats the passphrase, and nothing logs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jswcoder.cli import main
from jswcoder.errors import InvalidInput
from jswcoder.project import Project
from jswcoder.security import keyfile, strength
from tests.conftest import FAST_KDF, PASSPHRASE

STRONG = "plum tractor whistle"


def _refusal(passphrase: str, context: tuple[str, ...] = ()) -> str:
    with pytest.raises(InvalidInput) as refused:
        keyfile.check_passphrase(passphrase, context=context)
    return str(refused.value)


def test_common_passwords_are_refused_with_the_reason() -> None:
    assert _refusal("12345678") == (
        "the passphrase is too easy to guess: this is a top-10 common password. "
        "Add another word or two. Uncommon words are better."
    )
    assert "very common password" in _refusal("password1")
    assert "repeats" in _refusal("qzxvqzxv").lower()
    assert "at least 8 characters" in _refusal("short")
    for passphrase in ("12345678", "password1", "qzxvqzxv", "short"):
        assert passphrase not in _refusal(passphrase)


def test_the_projects_own_name_or_the_coders_is_refused() -> None:
    reason = _refusal("Oban night shift", ("Oban night shift", "Ailsa"))
    assert "the project's name or yours" in reason
    assert "Oban" not in reason
    keyfile.check_passphrase("Oban night shift", context=())  # strong enough where the name is unknown


def test_strong_passphrases_are_accepted_at_score_three_or_more() -> None:
    for passphrase in (
        STRONG,
        PASSPHRASE,
        "demo passphrase",
        "Tr0ub4dor&3x",
        "a" + "n unusually long one" * 5,
    ):
        keyfile.check_passphrase(passphrase, context=("Test study", "Ailsa"))
        assert strength.assess(passphrase).score >= strength.MIN_SCORE == 3


def test_init_refuses_a_weak_passphrase_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", "qzxvqzxv")
    code = main(["--no-keychain", "init", str(tmp_path / "p"), "--name", "N", "--coder", "C"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("jswcoder: the passphrase is too easy to guess: ") and "qzxvqzxv" not in err
    assert not (tmp_path / "p").exists()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", "Night shift study")
    code = main(["--no-keychain", "init", str(tmp_path / "p"), "--name", "Night shift study", "--coder", "C"])
    assert code == 1 and "the project's name or yours" in capsys.readouterr().err
    # The log (the tests' state folder) never holds a passphrase that was typed.
    state = Path(os.environ["XDG_STATE_HOME"])
    for path in state.rglob("*"):
        if path.is_file():
            assert b"qzxvqzxv" not in path.read_bytes(), path


def test_team_create_refuses_a_weak_passphrase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", "password1")
    argv = ["--no-keychain", "team", "create", str(tmp_path / "lead"), "--name", "T", "--coder", "Lead"]
    code = main([*argv, "--team-file", str(tmp_path / "t.jswteam")])
    assert code == 1 and "too easy to guess" in capsys.readouterr().err
    assert not (tmp_path / "lead").exists()


def test_a_project_made_with_a_weak_passphrase_before_still_opens_and_can_change_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project from an earlier version, whose passphrase is now thought weak: it opens as before,
    and passwd (which judges only the new passphrase) moves it to a strong one."""
    with monkeypatch.context() as earlier_version:
        earlier_version.setattr(keyfile, "check_passphrase", lambda passphrase, context=(): None)
        project, _recovery = Project.create(
            tmp_path / "old", name="Old study", coder="Ailsa", passphrase="12345678", kdf=FAST_KDF
        )
        project.close()
    with Project.open(tmp_path / "old", passphrase="12345678", use_keychain=False) as again:
        assert again.name == "Old study"
        with pytest.raises(InvalidInput, match="too easy to guess"):
            again.change_passphrase("password1", kdf=FAST_KDF)
    monkeypatch.setenv("JSWCODER_PASSPHRASE", "12345678")
    monkeypatch.setenv("JSWCODER_NEW_PASSPHRASE", STRONG)
    assert main(["--no-keychain", "passwd", str(tmp_path / "old")]) == 0, capsys.readouterr().err
    with Project.open(tmp_path / "old", passphrase=STRONG, use_keychain=False) as again:
        assert again.name == "Old study"
