"""Just enough HTTP/1.1 to drive and weigh our own server: frame responses on a
keep-alive connection, split them into head and body, count their bytes on the wire.

Pure functions on bytes, so they can be tested without a server.
"""

from __future__ import annotations

import gzip
import socket
from dataclasses import dataclass

import brotli

HEAD_END = b"\r\n\r\n"


def request_bytes(path: str, host: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def response_length(buffer: bytes | bytearray) -> int | None:
    """Length of the first complete response in `buffer`, or None if it is not all there.

    Handles Content-Length and chunked bodies; a response with neither (or a 204/304)
    has no body. Responses that end at connection close are not supported: our servers
    never send them to a keep-alive HTTP/1.1 request.
    """
    end = buffer.find(HEAD_END)
    if end < 0:
        return None
    body_start = end + len(HEAD_END)
    status, _, headers = parse_head(bytes(buffer[:end]))
    if status in (204, 304) or 100 <= status < 200:
        return body_start
    fields = {name.lower(): value for name, value in headers}
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return _chunked_end(buffer, body_start)
    length = body_start + int(fields.get("content-length", "0"))
    return length if len(buffer) >= length else None


def _chunked_end(buffer: bytes | bytearray, position: int) -> int | None:
    while True:
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        size = int(bytes(buffer[position:line_end]).split(b";")[0], 16)
        position = line_end + 2
        if size == 0:
            # Trailers (none from our servers) end with an empty line.
            trailer_end = buffer.find(b"\r\n", position)
            if trailer_end < 0:
                return None
            while trailer_end != position:
                position = trailer_end + 2
                trailer_end = buffer.find(b"\r\n", position)
                if trailer_end < 0:
                    return None
            return position + 2
        position += size + 2
        if len(buffer) < position:
            return None


def parse_head(head: bytes) -> tuple[int, str, list[tuple[str, str]]]:
    """Status, reason and header fields of a response head (without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    _version, status, *reason = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return int(status), (reason[0] if reason else ""), headers


def http1_header_bytes(status: int, reason: str, headers: list[tuple[str, str]]) -> int:
    """Bytes of a response head as an HTTP/1.1 server writes it: status line, one
    `Name: value` line per field, the blank line. (HTTP/2 would compress these.)"""
    size = len(f"HTTP/1.1 {status} {reason}\r\n".encode("latin-1"))
    size += sum(len(f"{name}: {value}\r\n".encode("latin-1")) for name, value in headers)
    return size + 2


def dechunk(body: bytes) -> bytes:
    out, position = bytearray(), 0
    while True:
        line_end = body.index(b"\r\n", position)
        size = int(body[position:line_end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[line_end + 2:line_end + 2 + size]
        position = line_end + 2 + size + 2


def decode_body(body: bytes, content_encoding: str) -> bytes:
    encoding = content_encoding.strip().lower()
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding in ("", "identity"):
        return body
    raise ValueError(f"unexpected Content-Encoding {content_encoding!r}")


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    head_bytes: int  # exactly as received, blank line included
    wire_body: bytes  # as received: compressed, chunk framing included

    def header(self, name: str, default: str = "") -> str:
        return next((v for n, v in self.headers if n.lower() == name.lower()), default)

    @property
    def wire_bytes(self) -> int:
        return self.head_bytes + len(self.wire_body)

    def body(self) -> bytes:
        """The body a browser would see: de-chunked and decompressed."""
        raw = self.wire_body
        if "chunked" in self.header("transfer-encoding").lower():
            raw = dechunk(raw)
        return decode_body(raw, self.header("content-encoding"))


def split_response(raw: bytes) -> Response:
    end = raw.index(HEAD_END)
    status, reason, headers = parse_head(raw[:end])
    return Response(status, reason, headers, end + len(HEAD_END), raw[end + len(HEAD_END):])


class Connection:
    """One blocking keep-alive connection, for fetching a handful of resources."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = bytearray()

    def get(self, path: str, host: str, headers: dict[str, str]) -> Response:
        self.sock.sendall(request_bytes(path, host, headers))
        while (length := response_length(self.buffer)) is None:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"server closed the connection during GET {path}")
            self.buffer += chunk
        raw = bytes(self.buffer[:length])
        del self.buffer[:length]
        return split_response(raw)

    def close(self) -> None:
        self.sock.close()
