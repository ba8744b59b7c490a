"""Content-Encoding decoding whose output is bounded per call.

httpx's own decoders inflate each network chunk completely: one 64 KB chunk of a gzip
bomb becomes ~64 MB in a single allocation before any size check can run. Here every
`decompress` call is given `max_length`, so the decoded size never exceeds the cap by more
than one byte, whatever the compression ratio.
"""

from __future__ import annotations

import zlib

SUPPORTED = "gzip, deflate"  # what we advertise in Accept-Encoding
_GZIP_MAGIC = b"\x1f\x8b"


class DecodeError(Exception):
    pass


class TooLarge(Exception):
    pass


class BoundedDecoder:
    """Feed raw body bytes, get decoded bytes; raises TooLarge once `cap` is exceeded."""

    def __init__(self, content_encoding: str | None, cap: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise DecodeError(f"stacked Content-Encoding {content_encoding!r} is not supported")
        self._coding = codings[0] if codings else ""
        if self._coding not in ("", "gzip", "x-gzip", "deflate"):
            raise DecodeError(f"unsupported Content-Encoding {self._coding!r}")
        self._cap = cap
        self._size = 0
        self._inflater: zlib._Decompress | None = None
        self._pending = b""  # bytes held until the next two say what follows
        self._done = False  # the body ended; anything after it is junk
        self._members = 0  # gzip members completed

    def feed(self, data: bytes) -> bytes:
        if not self._coding:
            return self._count(data)
        try:
            return self._count(self._inflate(data))
        except zlib.error as exc:
            raise DecodeError(f"corrupt {self._coding} body: {exc}") from None

    def _count(self, data: bytes) -> bytes:
        self._size += len(data)
        if self._size > self._cap:
            raise TooLarge(f"more than {self._cap} bytes after decoding")
        return data

    def _room(self) -> int:
        # One byte past the cap is enough to know the cap is exceeded.
        return self._cap - self._size + 1

    def _inflate(self, data: bytes) -> bytes:
        if self._inflater is None and self._coding == "deflate":
            # "deflate" is zlib-wrapped by the RFC but raw deflate from many servers.
            self._pending += data
            if len(self._pending) < 2:
                return b""
            data, self._pending = self._pending, b""
            zlib_header = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -15)
        out: list[bytes] = []
        produced = 0
        while data and not self._done:
            if self._inflater is None:
                # Start of a gzip member: the first, or one after a member ended.
                # Concatenated members are one body (RFC 1952); other bytes after a
                # member are junk some servers append, ignored as browsers do.
                self._pending += data
                data = b""
                if len(self._pending) < 2:
                    break
                if not self._pending.startswith(_GZIP_MAGIC):
                    if self._members == 0:
                        raise DecodeError("the body is not gzip data")
                    self._done = True
                    break
                data, self._pending = self._pending, b""
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = self._inflater.decompress(data, self._room() - produced)
            out.append(chunk)
            produced += len(chunk)
            if self._inflater.unconsumed_tail:
                break  # max_length reached: the caller's count raises TooLarge
            data = b""
            if self._inflater.eof:
                data = self._inflater.unused_data
                if self._coding == "deflate":
                    self._done = True
                else:
                    self._inflater = None
                    self._members += 1
        return b"".join(out)

    def flush(self) -> bytes:
        if self._coding and self._members == 0 and self._inflater is None and self._pending:
            raise DecodeError(f"{self._coding} body too short")
        # A member cut short is accepted as far as it goes: feeds are parsed leniently.
        return b""
