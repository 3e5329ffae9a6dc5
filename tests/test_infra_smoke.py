"""Tests of the test infrastructure itself: the static server, the browser,
request recording and the fonts. They do not build the site."""

from __future__ import annotations

import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from browser_support import external_requests, record_requests, serve_dir

# A valid 1x1 red PNG.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753"
    "de0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e"
    "44ae426082"
)

HEADING = "青莲测试：汉字渲染"

PAGE_HTML = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>冒烟</title></head>
<body>
<h1 id="t">{HEADING}</h1>
<img id="pic" src="pic.png" alt="图" width="10" height="10">
</body></html>
"""


def _get(url: str, timeout: float = 5) -> tuple[int, bytes, str]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.read(), resp.headers.get("Content-Type", "")


@pytest.fixture
def smoke_dir(tmp_path):
    (tmp_path / "index.html").write_text(PAGE_HTML, encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(PNG_1X1)
    return tmp_path


def test_serve_dir_serves_written_file_and_stops(tmp_path):
    payload = "你好，青莲\n".encode() + bytes(range(256))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data.bin").write_bytes(payload)

    with serve_dir(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        status, body, _ = _get(base + "sub/data.bin")
        assert status == 200
        assert body == payload
        with pytest.raises(urllib.error.HTTPError) as err:
            _get(base + "no-such-file.html")
        assert err.value.code == 404

    # After the block the port is closed: the server really stopped.
    with pytest.raises(urllib.error.URLError):
        _get(base + "sub/data.bin", timeout=2)


def test_serve_dir_content_types(smoke_dir):
    (smoke_dir / "app.js").write_text("1;", encoding="utf-8")
    (smoke_dir / "f.woff2").write_bytes(b"wOF2")
    with serve_dir(smoke_dir) as base:
        assert _get(base)[2].startswith("text/html")  # index.html for "/"
        assert _get(base + "pic.png")[2] == "image/png"
        assert _get(base + "app.js")[2].startswith("text/javascript")
        assert _get(base + "f.woff2")[2] == "font/woff2"


@pytest.mark.browser
def test_browser_renders_chinese_text(page, smoke_dir):
    with serve_dir(smoke_dir) as base:
        response = page.goto(base + "index.html")
        assert response is not None and response.ok
        assert page.evaluate("document.getElementById('t').textContent") == HEADING
        assert page.title() == "冒烟"
        assert page.evaluate("navigator.language") == "zh-CN"
        assert page.viewport_size == {"width": 1280, "height": 900}


@pytest.mark.browser
def test_record_requests_sees_image(page, smoke_dir):
    urls = record_requests(page)
    with serve_dir(smoke_dir) as base:
        page.goto(base + "index.html")
        page.wait_for_function("document.getElementById('pic').complete")
        assert page.evaluate("document.getElementById('pic').naturalWidth") == 1
    assert base + "index.html" in urls
    assert base + "pic.png" in urls
    assert external_requests(urls) == []


def test_external_requests_filter():
    urls = [
        "http://127.0.0.1:8000/a.css",
        "http://localhost:1/x",
        "data:image/png;base64,AAAA",
        "https://fonts.googleapis.com/css?family=Noto",
        "http://[::1]:80/",
    ]
    assert external_requests(urls) == ["https://fonts.googleapis.com/css?family=Noto"]


@pytest.mark.browser
def test_phone_page_is_a_phone(phone_page, smoke_dir):
    with serve_dir(smoke_dir) as base:
        phone_page.goto(base + "index.html")
        got = phone_page.evaluate(
            "({w: window.innerWidth, dpr: window.devicePixelRatio, touch: navigator.maxTouchPoints > 0})"
        )
    assert got == {"w": 360, "dpr": 2, "touch": True}


def test_cjk_fonts_installed():
    """The browser tests judge Chinese text rendering: the Noto CJK fonts
    must be there (make system-deps installs fonts-noto-cjk)."""
    fc_list = shutil.which("fc-list")
    assert fc_list, "fc-list is missing (Debian package fontconfig; run make system-deps)"
    out = subprocess.run([fc_list], capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK" in out, "Noto Sans CJK is missing (run make system-deps)"
