"""Helpers for tests that serve a built site and look at it in a browser.

Import them in a test module with ``from browser_support import serve_dir,
record_requests`` (or from ``conftest``, which re-exports them). Nothing here
downloads anything: the browser is Debian's /usr/bin/chromium (``make
system-deps`` installs it), driven by Playwright for Python.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"

# The flags this machine kind's probe used: without the background-networking
# ones, Chromium keeps trying hosts that the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from ``directory``, no log line per request.

    The MIME map is fixed here rather than taken from /etc/mime.types, so a
    clean machine serves the same types as a developer's.
    """

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".txt": "text/plain; charset=utf-8",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".webp": "image/webp",
        ".ico": "image/x-icon",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".webmanifest": "application/manifest+json",
        ".gz": "application/gzip",
    }

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib name
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that does not print a traceback when the
    browser drops a connection (it does so often, e.g. on navigation)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_dir(path: str | Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve the folder ``path`` on 127.0.0.1 at a free port, in a daemon
    thread; yield the base URL ``http://127.0.0.1:PORT/``; stop on exit.
    ``headers`` are added to every response (e.g. the CSP nginx sends)."""
    directory = Path(path)
    if not directory.is_dir():
        raise NotADirectoryError(f"serve_dir: {directory} is not a folder")
    handler_class = QuietHandler
    if headers:

        class handler_class(QuietHandler):  # noqa: N801 - a local subclass, named like the variable it fills
            def end_headers(self):
                for name, value in headers.items():
                    self.send_header(name, value)
                super().end_headers()

    handler = functools.partial(handler_class, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"serve_dir:{port}",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def record_requests(page) -> list[str]:
    """Record the URL of every request ``page`` makes from now on.

    Returns the (live) list the URLs are appended to. ``page`` may also be a
    BrowserContext, which also sees requests of workers and popups.
    """
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def external_requests(urls: list[str]) -> list[str]:
    """The URLs in ``urls`` that would leave this machine: anything that is
    neither on a loopback host nor a ``data:``/``blob:``/``about:`` URL."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        host = (parts.hostname or "").lower()
        if host in LOCAL_HOSTS or host.startswith("127."):
            continue
        out.append(url)
    return out


def decode_qr(png: bytes) -> str:
    """The text of the QR code in a screenshot, read by zbarimg (Debian's zbar-tools, `make system-deps`)."""
    zbarimg = shutil.which("zbarimg")
    if not zbarimg:
        if os.environ.get("CI"):
            pytest.fail("zbarimg is missing: run `make system-deps` (Debian package zbar-tools)")
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".png") as image:
        image.write(png)
        image.flush()
        result = subprocess.run([zbarimg, "--quiet", "--raw", image.name], capture_output=True, text=True)
    assert result.returncode == 0, f"no QR code found in the screenshot: {result.stderr.strip()}"
    return result.stdout.strip()
