#!/usr/bin/env python3
"""Start the 清廉慈利 exhibition kiosk: serve the built kiosk edition on 127.0.0.1 and open it in
Chromium (or Microsoft Edge / Google Chrome) in full-screen kiosk mode, with no network features.

    python kiosk/start.py                  # serves site-kiosk/ and opens the browser
    python kiosk/start.py --port 8080      # another port
    python kiosk/start.py --no-browser     # only the web server (e.g. to open it yourself)
    python kiosk/start.py --browser "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"

Standard library only, so it runs on Linux and Windows with any Python 3.8+. Build the site first:
`mkdocs build -f kiosk.yml` (or `make kiosk`, which builds and then runs this script). Closing the
browser stops the web server. See kiosk/README.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SITE = ROOT / "site-kiosk"
DEFAULT_PORT = 8765

# Full screen, no way out, no error dialogs, no pinch zoom or swipe-back ...
KIOSK_FLAGS = [
    "--kiosk",
    "--incognito",
    "--noerrdialogs",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
]
# ... and nothing that talks to the internet on its own (the hall is often offline).
NO_NETWORK_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EXTRA_FLAGS = [
    "--no-default-browser-check",
    "--disable-translate",
    "--disable-features=Translate,TranslateUI",
    "--disable-session-crashed-bubble",
    "--autoplay-policy=no-user-gesture-required",
]

LINUX_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge")
WINDOWS_BROWSERS = (
    r"Google\Chrome\Application\chrome.exe",
    r"Microsoft\Edge\Application\msedge.exe",
    r"Chromium\Application\chrome.exe",
)

# Fixed MIME types: Windows takes them from the registry, where .js is sometimes text/plain
# (then the browser refuses Pagefind's module script) and .wasm is often missing.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt; charset=utf-8",
    ".gz": "application/gzip",
    "": "application/octet-stream",  # Pagefind's .pf_* index files fall back to this
}


def content_security_policy() -> str | None:
    """The site's policy, rendered from the same hashes as nginx's header and the pages' <meta>
    (hooks/qinglian/outputs/csp.py); None if this copy has no hooks/ folder (the pages' <meta> still applies)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        from qinglian.outputs import csp

        return csp.policy()
    except (ImportError, OSError, ValueError):
        return None
    finally:
        sys.path.remove(str(ROOT / "hooks"))


# What nginx sends too (deploy/security-headers.conf), minus what needs HTTPS.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the kiosk links nowhere; nothing need know where a visitor came from
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


class KioskHandler(http.server.SimpleHTTPRequestHandler):
    """The site's files; a missing page gets the site's own 404.html (which returns home), not the
    server's bare error page, on which a kiosk visitor would be stuck. A folder without index.html is a
    missing page too: the server never lists a folder's files."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    policy = content_security_policy()

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file() and self.command in ("GET", "HEAD"):
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")  # a rebuilt site shows up without a restart
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if self.policy:
            self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - stdlib name
        pass  # a kiosk runs all day: no line per request


class KioskServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser dropped a connection (navigation): not worth a traceback
        super().handle_error(request, client_address)


def make_server(site: Path, port: int = DEFAULT_PORT) -> KioskServer:
    """A server for `site` on 127.0.0.1:`port` (0 = any free port); call serve_forever() to run it."""
    handler = functools.partial(KioskHandler, directory=str(site))
    return KioskServer(("127.0.0.1", port), handler)


def find_browser(explicit: str | None = None) -> str | None:
    """The browser to use: --browser, $KIOSK_BROWSER, else the first Chromium-family browser found."""
    for candidate in (explicit, os.environ.get("KIOSK_BROWSER")):
        if candidate:
            return candidate if (Path(candidate).is_file() or shutil.which(candidate)) else None
    if os.name == "nt":
        for base in filter(None, (os.environ.get(v) for v in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"))):
            for rel in WINDOWS_BROWSERS:
                path = Path(base) / rel
                if path.is_file():
                    return str(path)
        return None
    for name in LINUX_BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_command(browser: str, url: str, profile: str, extra: list[str] | None = None) -> list[str]:
    command = [browser, *KIOSK_FLAGS, *NO_NETWORK_FLAGS, *EXTRA_FLAGS, *(extra or []), f"--user-data-dir={profile}"]
    if os.name != "nt" and hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to start as root without it
    return command + [url]


def run_browser(browser: str, url: str, extra: list[str], restarts: int = 5) -> int:
    """Run the browser until it is closed. A crash (non-zero exit) restarts it with a fresh profile, up to
    `restarts` times in a row within a minute each, so a kiosk left alone all day comes back by itself."""
    import time

    crashes = 0
    while True:
        profile = tempfile.mkdtemp(prefix="qinglian-kiosk-")  # a fresh profile: nothing kept between runs
        started = time.monotonic()
        try:
            code = subprocess.call(browser_command(browser, url, profile, extra))
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        if code == 0:
            return 0
        crashes = crashes + 1 if time.monotonic() - started < 60 else 1
        if crashes > restarts:
            print(f"浏览器连续异常退出（代码 {code}），不再重启。", file=sys.stderr)
            return code
        print(f"浏览器异常退出（代码 {code}），重新启动……", file=sys.stderr, flush=True)
        time.sleep(2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="清廉慈利展厅触摸屏：本机网页服务 + 全屏浏览器。")
    parser.add_argument("site", nargs="?", default=str(DEFAULT_SITE), help="构建好的展厅版文件夹（默认 site-kiosk）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    parser.add_argument("--browser", help="浏览器程序路径（默认自动查找 Chromium / Chrome / Edge）")
    parser.add_argument(
        "--browser-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="再加一个浏览器参数，可重复，如 --browser-arg=--force-device-scale-factor=1.5（4K 屏）",
    )
    parser.add_argument("--no-browser", action="store_true", help="只启动网页服务，不打开浏览器")
    args = parser.parse_args(argv)

    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(
            f"找不到展厅版网站：{site}{os.sep}index.html。请先构建：mkdocs build -f kiosk.yml（或 make kiosk）。",
            file=sys.stderr,
        )
        return 2
    try:
        server = make_server(site, args.port)
    except OSError as err:
        print(f"端口 {args.port} 无法使用（{err.strerror}）。换一个端口：--port 8766", file=sys.stderr)
        return 2
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="kiosk-server", daemon=True)
    thread.start()
    print(f"展厅版网站：{url}（只在本机可访问）", flush=True)

    try:
        if args.no_browser:
            print("按 Ctrl+C 停止。", flush=True)
            threading.Event().wait()
            return 0
        browser = find_browser(args.browser)
        if not browser:
            print(
                "找不到 Chromium、Google Chrome 或 Microsoft Edge。请安装其一，或用 --browser 指定路径。"
                "（Debian/Ubuntu：sudo apt-get install chromium）",
                file=sys.stderr,
            )
            return 3
        print(f"浏览器：{browser}（全屏展示模式；Alt+F4 关闭浏览器即停止）", flush=True)
        return run_browser(browser, url, args.browser_arg)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
