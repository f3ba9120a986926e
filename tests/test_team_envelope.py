"""Team packages: round trips, and a specific, plain error for each way a package can go wrong."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.errors import InvalidInput, JswError
from jswcoder.team import envelope
from jswcoder.team.envelope import (
    DamagedPackage,
    EnvelopeError,
    NewerFormat,
    NotAddressedToYou,
    PackageTooLarge,
    TamperedPackage,
    TruncatedPackage,
    UnknownSender,
    open_sealed,
    peek,
    seal,
)
from jswcoder.team.keys import KeyPair, fingerprint, new_encryption_keys, new_signing_keys

LEAD = new_encryption_keys()
DEPUTY = new_encryption_keys()
OUTSIDER = new_encryption_keys()
AMINA = new_signing_keys()
BRUNO = new_signing_keys()
SENDERS = {"amina": AMINA.public, "bruno": BRUNO.public}
META = {"team_id": "T-42", "sequence": 7, "app_version": "0.1.0", "created_at": "2025-03-01T10:00:00Z"}
PAYLOAD = b'{"transcripts": []}' * 40


def _seal(
    payload: bytes = PAYLOAD,
    *,
    recipients: dict[str, bytes] | None = None,
    sender_id: str = "amina",
    signer: KeyPair = AMINA,
    meta: dict[str, Any] | None = None,
) -> bytes:
    return seal(
        payload,
        header=META if meta is None else meta,
        recipients={"lead": LEAD.public} if recipients is None else recipients,
        sender_id=sender_id,
        signing_key=signer.private,
    )


def _open(data: bytes, *, recipient_id: str = "lead", keys: KeyPair = LEAD, **kwargs: Any) -> envelope.Opened:
    return open_sealed(data, recipient_id=recipient_id, recipient_key=keys.private, senders=SENDERS, **kwargs)


def _rebuild(
    data: bytes,
    change: Callable[[dict[str, Any]], None],
    *,
    signer: KeyPair | None = None,
    version: int = envelope.FORMAT_VERSION,
) -> bytes:
    """The package with its header JSON edited, re-signed by *signer* (or keeping the old signature)."""
    _, length = struct.unpack_from(">HI", data, len(envelope.MAGIC))
    start = envelope.PREFIX_BYTES
    document = json.loads(data[start : start + length])
    change(document)
    header = json.dumps(document).encode()
    body = data[start + length : -envelope.SIGNATURE_BYTES]
    signed = envelope.MAGIC + struct.pack(">HI", version, len(header)) + header + body
    if signer is None:
        return signed + data[-envelope.SIGNATURE_BYTES :]
    return signed + Ed25519PrivateKey.from_private_bytes(signer.private).sign(signed)


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _header_span(data: bytes) -> tuple[int, int]:
    (length,) = struct.unpack_from(">I", data, len(envelope.MAGIC) + 2)
    return envelope.PREFIX_BYTES, envelope.PREFIX_BYTES + length


# --- keys ----------------------------------------------------------------------------------------


def test_key_pairs_are_raw_32_bytes_and_hide_the_private_half() -> None:
    for pair in (new_encryption_keys(), new_signing_keys()):
        assert len(pair.private) == len(pair.public) == 32
        assert repr(pair.private) not in repr(pair) and repr(pair.public) in repr(pair)
    assert new_encryption_keys() != new_encryption_keys()


def test_fingerprints_are_stable_short_and_distinct() -> None:
    known = bytes(range(32))
    assert fingerprint(known) == fingerprint(bytes(range(32)))
    # SHA-256 of bytes 0..31 starts 630dcd2966c43366.
    assert fingerprint(known) == "630D-CD29-66C4-3366"
    prints = {fingerprint(new_signing_keys().public) for _ in range(50)}
    assert len(prints) == 50
    assert all(re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", p) for p in prints)
    with pytest.raises(InvalidInput):
        fingerprint(b"short")


# --- round trips ----------------------------------------------------------------------------------


def test_round_trip_for_one_recipient() -> None:
    data = _seal()
    opened = _open(data)
    assert opened.payload == PAYLOAD
    assert opened.sender_id == "amina"
    assert opened.header == {
        **META,
        "sender_id": "amina",
        "recipients": ["lead"],
        "payload_length": len(PAYLOAD),
    }
    assert PAYLOAD not in data


def test_round_trip_for_two_recipients_each_with_their_own_key() -> None:
    data = _seal(recipients={"lead": LEAD.public, "deputy": DEPUTY.public})
    assert _open(data).payload == PAYLOAD
    assert _open(data, recipient_id="deputy", keys=DEPUTY).payload == PAYLOAD
    assert peek(data)["recipients"] == ["lead", "deputy"]


def test_empty_payload_round_trips() -> None:
    assert _open(_seal(b"")).payload == b""


def test_the_same_payload_seals_differently_each_time() -> None:
    assert _seal() != _seal()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
headers = st.dictionaries(
    st.text(max_size=12).filter(lambda key: key not in envelope.RESERVED), json_values, max_size=6
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.binary(max_size=4096), meta=headers, sender=st.sampled_from(["amina", "bruno"]))
def test_any_payload_and_header_round_trip(payload: bytes, meta: dict[str, Any], sender: str) -> None:
    signer = AMINA if sender == "amina" else BRUNO
    data = _seal(payload, meta=meta, sender_id=sender, signer=signer)
    opened = _open(data)
    assert opened.payload == payload
    assert opened.sender_id == sender
    expected = {**meta, "sender_id": sender, "recipients": ["lead"], "payload_length": len(payload)}
    assert opened.header == expected
    assert peek(data) == expected


# --- each failure has its own error ----------------------------------------------------------------


def _fails(data: bytes, error: type[EnvelopeError], **kwargs: Any) -> EnvelopeError:
    with pytest.raises(error) as caught:
        _open(data, **kwargs)
    assert type(caught.value) is error, caught.value
    assert isinstance(caught.value, JswError)
    assert caught.value.reason == error.reason
    return caught.value


def test_a_flipped_bit_in_the_header_is_tampering() -> None:
    data = _seal()
    start, end = _header_span(data)
    # A digit of the sequence number: still valid JSON, so only the signature can tell.
    index = data.index(b'"sequence": 7', start, end) + len(b'"sequence": ')
    error = _fails(_flip(data, index), TamperedPackage)
    assert "changed since it was signed" in str(error)


def test_a_flipped_bit_anywhere_in_the_header_is_refused() -> None:
    data = _seal()
    start, end = _header_span(data)
    for index in range(start, end, 7):
        with pytest.raises(EnvelopeError) as caught:
            _open(_flip(data, index))
        assert caught.value.reason in {"tampered", "damaged", "unknown_sender", "truncated"}


def test_a_flipped_bit_in_the_ciphertext_is_tampering() -> None:
    data = _seal()
    _, end = _header_span(data)
    for index in (end, end + len(PAYLOAD) // 2, len(data) - envelope.SIGNATURE_BYTES - 1):
        _fails(_flip(data, index), TamperedPackage)


def test_a_flipped_bit_in_the_signature_is_tampering() -> None:
    data = _seal()
    for index in (len(data) - envelope.SIGNATURE_BYTES, len(data) - 1):
        _fails(_flip(data, index), TamperedPackage)


def test_a_package_cut_short_anywhere_says_it_is_incomplete() -> None:
    data = _seal()
    for length in range(0, len(data), 97):
        error = _fails(data[:length], TruncatedPackage)
        assert "incomplete" in str(error)
        with pytest.raises(TruncatedPackage):
            peek(data[:length])
    _fails(data[:-1], TruncatedPackage)


def test_junk_after_the_end_is_refused() -> None:
    error = _fails(_seal() + b"\x00junk", DamagedPackage)
    assert "extra data" in str(error)


def test_the_wrong_recipient_key_is_not_addressed_to_you() -> None:
    error = _fails(_seal(), NotAddressedToYou, keys=OUTSIDER)
    assert "another key" in str(error)


def test_a_recipient_not_listed_is_not_addressed_to_you() -> None:
    error = _fails(_seal(), NotAddressedToYou, recipient_id="deputy", keys=DEPUTY)
    assert "not addressed to you" in str(error)


def test_an_unknown_sender_is_named() -> None:
    stranger = new_signing_keys()
    error = _fails(_seal(sender_id="mallory", signer=stranger), UnknownSender)
    assert "does not know" in str(error) and "mallory" in str(error)


def test_a_known_sender_signing_as_another_is_tampering() -> None:
    # Bruno's key, Amina's name: the signature does not verify under Amina's key.
    _fails(_seal(sender_id="amina", signer=BRUNO), TamperedPackage)


def test_a_package_re_signed_under_another_name_is_tampering() -> None:
    # Bruno takes Amina's package, puts his name on it and signs it properly: the payload is bound
    # to the original header, and he cannot re-encrypt it without the content key.
    forged = _rebuild(_seal(), lambda doc: doc.update(sender_id="bruno"), signer=BRUNO)
    assert peek(forged)["sender_id"] == "bruno"
    error = _fails(forged, TamperedPackage)
    assert "do not match" in str(error)


def test_a_sender_id_in_the_fields_that_contradicts_the_envelope_is_refused() -> None:
    forged = _rebuild(_seal(), lambda doc: doc["meta"].update(sender_id="amina"), signer=BRUNO)
    _fails(forged, DamagedPackage)
    with pytest.raises(InvalidInput):
        _seal(meta={"sender_id": "bruno"})
    assert _open(_seal(meta={"sender_id": "amina"})).sender_id == "amina"


def test_a_newer_format_says_so_before_anything_else() -> None:
    newer = _rebuild(_seal(), lambda doc: doc.update(version=2, something="new"), version=2)
    error = _fails(newer, NewerFormat)
    assert "newer version of jswcoder" in str(error)
    with pytest.raises(NewerFormat):
        peek(newer)


def test_a_header_claiming_a_huge_payload_is_refused_before_allocating() -> None:
    huge = _rebuild(_seal(), lambda doc: doc.update(payload_length=10**15))
    error = _fails(huge, PackageTooLarge)
    assert str(10**15) in str(error)


def test_max_payload_is_honoured() -> None:
    data = _seal()
    _fails(data, PackageTooLarge, max_payload=len(PAYLOAD) - 1)
    assert _open(data, max_payload=len(PAYLOAD)).payload == PAYLOAD


def test_a_header_length_beyond_the_limit_is_damage_not_truncation() -> None:
    data = _seal()
    bad = data[: len(envelope.MAGIC) + 2] + struct.pack(">I", 2**31) + data[envelope.PREFIX_BYTES :]
    _fails(bad, DamagedPackage)


def test_an_older_or_zero_version_is_damage() -> None:
    _fails(_rebuild(_seal(), lambda doc: doc.update(version=0), version=0), DamagedPackage)


def test_a_version_mismatch_between_prefix_and_header_is_damage() -> None:
    _fails(_rebuild(_seal(), lambda doc: doc.update(version=2)), DamagedPackage)


def test_checks_run_in_order_sender_then_signature_then_address() -> None:
    not_for_us = _seal(recipients={"deputy": DEPUTY.public})
    _fails(
        _seal(sender_id="mallory", signer=new_signing_keys(), recipients={"deputy": DEPUTY.public}),
        UnknownSender,
    )
    _fails(_flip(not_for_us, len(not_for_us) - 1), TamperedPackage)
    _fails(not_for_us, NotAddressedToYou)


# --- peek -----------------------------------------------------------------------------------------


def test_peek_reads_the_header_without_any_key() -> None:
    data = _seal(recipients={"lead": LEAD.public, "deputy": DEPUTY.public})
    header = peek(data)
    assert header["team_id"] == "T-42" and header["sender_id"] == "amina"
    assert header["payload_length"] == len(PAYLOAD)
    assert set(header) == {*META, "sender_id", "recipients", "payload_length"}


@pytest.mark.parametrize(
    "garbage",
    [
        b"PK\x03\x04 a zip file",
        b"\x00" * 200,
        b"JSWCODER-PACKAGE\n\x00\x01\x00\x00\x00\x05[1,2]" + b"\x00" * 80,
        b"JSWCODER-PACKAGE\n\x00\x01\x00\x00\x00\x04\xff\xfe{}" + b"\x00" * 80,
        b"JSWCODER-PACKAGE\n\x00\x01\x00\x00\x00\x02{}" + b"\x00" * 80,
        b"JSWCODER-PACKAGE\n\x00\x01\x00\x00\x00\x05[[[[[" + b"\x00" * 80,
    ],
)
def test_peek_and_open_reject_garbage_cleanly(garbage: bytes) -> None:
    with pytest.raises(DamagedPackage):
        peek(garbage)
    with pytest.raises(DamagedPackage):
        _open(garbage)


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc.update(payload_length=-1),
        lambda doc: doc.update(payload_length=True),
        lambda doc: doc.update(cipher="rot13"),
        lambda doc: doc.update(meta=[]),
        lambda doc: doc.update(recipients=[]),
        lambda doc: doc["recipients"].append(doc["recipients"][0]),
        lambda doc: doc["recipients"][0].update(ephemeral="AAAA"),
        lambda doc: doc["recipients"][0].update(nonce="not base64!"),
        lambda doc: doc.update(nonce=None),
        lambda doc: doc.pop("sender_id"),
        lambda doc: doc["meta"].update(recipients=["lead"]),
    ],
)
def test_badly_shaped_headers_are_damage(change: Callable[[dict[str, Any]], None]) -> None:
    bad = _rebuild(_seal(), change, signer=AMINA)
    with pytest.raises(DamagedPackage) as caught:
        peek(bad)
    assert type(caught.value) is DamagedPackage
    _fails(bad, DamagedPackage)


def test_duplicate_header_keys_are_damage() -> None:
    data = _seal()
    start, end = _header_span(data)
    header = data[start:end].replace(b'{"format"', b'{"sender_id": "bruno", "format"', 1)
    bad = data[: len(envelope.MAGIC) + 2] + struct.pack(">I", len(header)) + header + data[end:]
    with pytest.raises(DamagedPackage):
        peek(bad)


# --- sealing refuses bad input -------------------------------------------------------------------


def test_seal_refuses_bad_input() -> None:
    with pytest.raises(InvalidInput):
        _seal(recipients={})
    with pytest.raises(InvalidInput):
        _seal(recipients={"lead": b"\x00" * 31})
    with pytest.raises(InvalidInput):  # a low-order point gives an all-zero shared secret
        _seal(recipients={"lead": b"\x00" * 32})
    with pytest.raises(InvalidInput):
        _seal(sender_id="")
    with pytest.raises(InvalidInput):
        _seal(meta={"payload_length": 1})
    with pytest.raises(InvalidInput):
        _seal(meta={"when": object()})
    with pytest.raises(InvalidInput):
        _seal(meta={"ratio": float("nan")})
    with pytest.raises(InvalidInput):
        seal(b"", header={}, recipients={"lead": LEAD.public}, sender_id="amina", signing_key=b"short")


def test_seal_refuses_a_payload_beyond_the_aes_gcm_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "MAX_SEALABLE", 10)
    with pytest.raises(PackageTooLarge):
        _seal(b"x" * 11)


def test_error_messages_hold_no_payload_or_key_material() -> None:
    data = _seal(b"Interviewee said SECRET-NAME")
    errors: list[EnvelopeError] = []
    for attempt in (
        lambda: _open(data, keys=OUTSIDER),
        lambda: _open(_flip(data, len(data) - 1)),
        lambda: _open(data[:-5]),
    ):
        with pytest.raises(EnvelopeError) as caught:
            attempt()
        errors.append(caught.value)
    for error in errors:
        text = str(error)
        assert "SECRET" not in text and LEAD.private.hex() not in text and OUTSIDER.private.hex() not in text
