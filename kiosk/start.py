#!/usr/bin/env python3
"""Start the 清廉慈利 exhibition kiosk: serve the built kiosk edition on 127.0.0.1 and open it in
Chromium (or Microsoft Edge / Google Chrome) in full-screen kiosk mode, with no network features.

    python kiosk/start.py                  # serves site-kiosk/ and opens the browser
    python kiosk/start.py --port 8080      # another port
    python kiosk/start.py --no-browser     # only the web server (e.g. to open it yourself)
    python kiosk/start.py --browser "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"
    python kiosk/start.py --hash-pin 2468   # the line for data/site.yml kiosk.staff_pin_sha256 (staff exit)

While it runs it also answers, on 127.0.0.1 only:
- /status.json: the build of the site, the uptime and the last script error the kiosk reported;
- /_usage (kiosk.js's beacons): page views, 收藏, searches and searches without a result, counted per day in
  kiosk-usage.csv beside the site (`python kiosk/report.py` summarises it). No address, cookie or anything
  else about a visitor is kept;
- /_staff/exit: the staff exit (long press + PIN on the screen) closes the browser when the PIN is right.

Standard library only, so it runs on Linux and Windows with any Python 3.8+. Build the site first:
`mkdocs build -f kiosk.yml` (or `make kiosk`, which builds and then runs this script). Closing the
browser stops the web server. See kiosk/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import functools
import hashlib
import hmac
import html
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".gz": "application/gzip",
    "": "application/octet-stream",  # Pagefind's .pf_* index files fall back to this
}

USAGE_FILE = "kiosk-usage.csv"  # beside the site folder
USAGE_EVENTS = ("view", "save", "search", "nohit")  # what kiosk.js counts; nothing identifies a visitor
USAGE_COLUMNS = ("date", "event", "item", "count")
_CARE_CONFIG = re.compile(r'<script id="kiosk-care-config" type="application/json">(.*?)</script>', re.S)


class UsageLog:
    """Per-day totals of what visitors did, kept in a CSV (date, event, item, count) that the next start reads on."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.counts: dict[tuple[str, str, str], int] = {}
        self.lock = threading.Lock()
        if self.path.is_file():
            with self.path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    try:
                        self.counts[(row["date"], row["event"], row["item"])] = int(row["count"])
                    except (KeyError, ValueError):
                        continue  # a damaged line costs its count, not the kiosk

    def add(self, event: str, item: str, day: datetime.date | None = None) -> bool:
        if event not in USAGE_EVENTS:
            return False
        item = clean_item(event, item)
        key = ((day or datetime.date.today()).isoformat(), event, item)
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            self._write()
        return True

    def _write(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(USAGE_COLUMNS)
            for (day, event, item), count in sorted(self.counts.items()):
                writer.writerow((day, event, item, count))
        os.replace(temporary, self.path)  # never a half-written file, even if the power goes


def clean_item(event: str, item: str) -> str:
    """What is kept of a beacon's item: a page's path, a story key, or a pinyin search, short and plain."""
    item = (item or "").strip()
    if event == "view":
        item = urlsplit(item).path or "/"
    elif event in ("search", "nohit"):
        item = re.sub(r"[^a-z]", "", item.lower())  # the on-screen keyboard has only a–z
    return item[:100]


def pin_hash(pin: str, salt: str) -> str:
    """The staff PIN as data/site.yml keeps it: SHA-256 of salt + PIN, in hex (kiosk.js checks it the same way)."""
    return hashlib.sha256((salt + pin).encode("utf-8")).hexdigest()


def staff_pin_setting(pin: str) -> str:
    salt = secrets.token_hex(8)
    return f"{salt}${pin_hash(pin, salt)}"


_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


def content_security_policy(site: Path | None = None) -> str | None:
    """The site's policy, rendered from the same hashes as nginx's header and the pages' <meta>
    (hooks/qinglian/outputs/csp.py). A kiosk computer often has only start.py and the built site: then the
    policy the build wrote into the home page's <meta> (the same one); None if neither is there."""
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        from qinglian.outputs import csp

        return csp.policy()
    except (ImportError, OSError, ValueError):
        pass
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    try:
        found = _META_CSP.search((Path(site) / "index.html").read_text(encoding="utf-8")) if site else None
    except (OSError, UnicodeDecodeError):
        return None
    return html.unescape(found.group(1)) if found else None


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
    policy: str | None = None  # set by make_server for its site

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

    def do_GET(self):
        if urlsplit(self.path).path == "/status.json":
            return self._send_json(self.server.status())
        return super().do_GET()

    def do_POST(self):
        parts = urlsplit(self.path)
        length = min(int(self.headers.get("Content-Length") or 0), 1024)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if parts.path == "/_usage":
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            event, item = query.get("e", ""), query.get("i", "")
            if event == "error":
                self.server.last_error = {"time": _now(), "message": item[:300]}
            elif not self.server.usage.add(event, item):
                return self._send_empty(400)
            return self._send_empty(204)
        if parts.path == "/_staff/exit":
            if not self.server.staff_pin_ok(body.strip()):
                return self._send_empty(403)
            self._send_empty(204)
            self.server.exit_requested.set()
            return None
        return self.send_error(404)

    def _send_empty(self, code: int) -> None:
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_json(self, data: dict) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - stdlib name
        pass  # a kiosk runs all day: no line per request


class KioskServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, site: Path, usage: Path):
        super().__init__(address, handler)
        self.site = Path(site)
        self.usage = UsageLog(usage)
        self.started = time.time()
        self.last_error: dict | None = None
        self.exit_requested = threading.Event()

    def status(self) -> dict:
        """What staff (or a monitoring script) need: which build runs, for how long, and the last error."""
        index = self.site / "index.html"
        built = (
            datetime.datetime.fromtimestamp(index.stat().st_mtime).isoformat(timespec="seconds")
            if index.is_file()
            else None
        )
        return {
            "site": str(self.site.resolve()),
            "built": built,
            "started": datetime.datetime.fromtimestamp(self.started).isoformat(timespec="seconds"),
            "uptime_seconds": round(time.time() - self.started),
            "last_error": self.last_error,
            "usage_file": str(self.usage.path.resolve()),
        }

    def staff_pin_ok(self, pin: str) -> bool:
        """The PIN against the salted hash the built site carries (data/site.yml kiosk.staff_pin_sha256)."""
        try:
            page = (self.site / "index.html").read_text(encoding="utf-8")
            setting = json.loads(_CARE_CONFIG.search(page).group(1))["staffPin"]
            return bool(pin) and hmac.compare_digest(pin_hash(pin, setting["salt"]), setting["sha256"])
        except (OSError, AttributeError, ValueError, KeyError, TypeError):
            return False

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser dropped a connection (navigation): not worth a traceback
        super().handle_error(request, client_address)


def make_server(site: Path, port: int = DEFAULT_PORT, usage: Path | None = None) -> KioskServer:
    """A server for `site` on 127.0.0.1:`port` (0 = any free port); call serve_forever() to run it.
    Usage counts go to `usage` (default: kiosk-usage.csv beside the site folder)."""
    KioskHandler.policy = content_security_policy(site)
    handler = functools.partial(KioskHandler, directory=str(site))
    usage = Path(usage) if usage else Path(site).resolve().parent / USAGE_FILE
    return KioskServer(("127.0.0.1", port), handler, site, usage)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


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


def run_browser(
    browser: str, url: str, extra: list[str], restarts: int = 5, stop: threading.Event | None = None
) -> int:
    """Run the browser until it is closed. A crash (non-zero exit) restarts it with a fresh profile, up to
    `restarts` times in a row within a minute each, so a kiosk left alone all day comes back by itself.
    `stop` (the staff exit) closes it."""
    crashes = 0
    stop = stop or threading.Event()
    while True:
        profile = tempfile.mkdtemp(prefix="qinglian-kiosk-")  # a fresh profile: nothing kept between runs
        started = time.monotonic()
        process = subprocess.Popen(browser_command(browser, url, profile, extra))
        try:
            while (code := process.poll()) is None:
                if stop.wait(0.5):
                    return 0
        finally:  # the staff exit, Ctrl+C or a daily restart's SIGTERM: the browser goes with the launcher
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
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
    parser.add_argument("--usage", help=f"使用统计 CSV 文件（默认：网站文件夹旁边的 {USAGE_FILE}）")
    parser.add_argument(
        "--hash-pin", metavar="PIN", help="生成工作人员退出密码的加盐散列（填入 data/site.yml），然后退出"
    )
    args = parser.parse_args(argv)
    if args.hash_pin:
        if not args.hash_pin.isdigit() or len(args.hash_pin) < 4:
            print("密码要用至少 4 位数字（触摸屏上只有数字键）。", file=sys.stderr)
            return 2
        print("把下面这一行放进 data/site.yml 的 kiosk: 下面，再重新构建展厅版：")
        print(f'  staff_pin_sha256: "{staff_pin_setting(args.hash_pin)}"')
        return 0

    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(
            f"找不到展厅版网站：{site}{os.sep}index.html。请先构建：mkdocs build -f kiosk.yml（或 make kiosk）。",
            file=sys.stderr,
        )
        return 2
    try:
        server = make_server(site, args.port, args.usage)
    except OSError as err:
        print(f"端口 {args.port} 无法使用（{err.strerror}）。换一个端口：--port 8766", file=sys.stderr)
        return 2
    if hasattr(signal, "SIGTERM"):  # systemd, cron's pkill, Task Scheduler: stop as on Ctrl+C, browser and all
        signal.signal(signal.SIGTERM, _interrupt)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="kiosk-server", daemon=True)
    thread.start()
    print(f"展厅版网站：{url}（只在本机可访问）", flush=True)

    try:
        if args.no_browser:
            print("按 Ctrl+C 停止。", flush=True)
            server.exit_requested.wait()
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
        return run_browser(browser, url, args.browser_arg, stop=server.exit_requested)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
