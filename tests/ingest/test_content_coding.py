"""The bounded Content-Encoding decoder on its own: exact caps, odd but legal bodies."""

from __future__ import annotations

import gzip
import zlib

import pytest

from bot.ingest.content_coding import BoundedDecoder, DecodeError, TooLarge

TEXT = "Сенат заңды қабылдады. ".encode() * 200


def _decode(encoding: str, body: bytes, cap: int = 10**6, chunk: int = 7) -> bytes:
    decoder = BoundedDecoder(encoding, cap)
    out = [decoder.feed(body[i : i + chunk]) for i in range(0, len(body), chunk)]
    return b"".join([*out, decoder.flush()])


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("", TEXT),
        ("identity", TEXT),
        ("gzip", gzip.compress(TEXT)),
        ("GZIP ", gzip.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate
        ("gzip", gzip.compress(TEXT[:100]) + gzip.compress(TEXT[100:])),  # two members
        ("gzip", gzip.compress(TEXT) + b"\n\x00junk"),  # trailing junk, ignored
    ],
)
def test_bodies_decode_whatever_the_chunking(encoding: str, body: bytes) -> None:
    assert _decode(encoding, body) == TEXT
    assert _decode(encoding, body, chunk=1) == TEXT
    assert _decode(encoding, body, chunk=len(body)) == TEXT


@pytest.mark.parametrize("encoding", ["", "gzip", "deflate"])
def test_the_cap_is_exact_after_decoding(encoding: str) -> None:
    encode = {"": bytes, "gzip": gzip.compress, "deflate": zlib.compress}[encoding]
    assert _decode(encoding, encode(TEXT), cap=len(TEXT)) == TEXT
    with pytest.raises(TooLarge):
        _decode(encoding, encode(TEXT), cap=len(TEXT) - 1)


def test_one_bomb_chunk_never_inflates_past_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (16 * 1024 * 1024))  # ~16 KB
    decoder = BoundedDecoder("gzip", 1000)
    with pytest.raises(TooLarge):
        decoder.feed(bomb)  # the whole bomb in one feed: still stops at 1001 bytes


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("gzip", b"\x1f\x8b but not really gzip"), ("deflate", b"\xff\xff\xff\xff")],
)
def test_corrupt_bodies_are_decode_errors(encoding: str, body: bytes) -> None:
    with pytest.raises(DecodeError):
        _decode(encoding, body)


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br"])
def test_unsupported_encodings_are_refused_up_front(encoding: str) -> None:
    with pytest.raises(DecodeError):
        BoundedDecoder(encoding, 1000)
