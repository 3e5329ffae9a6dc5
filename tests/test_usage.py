"""Usage insight without tracking on the public site: a search that finds nothing is sent to /_nohit (which nginx
logs without the reader's address and answers 204), and deploy/report.py sums up the access log."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

from conftest import REPO
from visitors_support import story_to_read

NONSENSE = "qzxjvkw"  # neither words nor pinyin initials of anything
NGINX = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def _nohits(urls: list[str]) -> list[str]:
    return [parse_qs(urlsplit(u).query)["q"][0] for u in urls if urlsplit(u).path.endswith("/_nohit")]


def _words_of_a_title() -> str:
    """A few characters of a story's title: a search that finds something."""
    return re.match(r"[\u4e00-\u9fff]{2,4}", story_to_read().title).group(0)


def test_a_search_without_result_is_reported_once_and_a_found_one_not_at_all(page, site_server):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(site_server + "letters/")
    box = page.locator("[data-ql-search-input]")
    page.keyboard.press("/")
    box.type(_words_of_a_title(), delay=50)
    page.locator("[data-ql-search-list] li").first.wait_for(timeout=10_000)
    page.wait_for_timeout(2000)
    assert _nohits(urls) == []  # found: nothing sent
    box.fill("")
    box.type(NONSENSE, delay=150)  # every prefix finds nothing too: only the settled words are sent
    page.wait_for_function(f"document.querySelector('[data-ql-search-status]').dataset.query === '{NONSENSE}'")
    page.wait_for_timeout(2500)
    assert _nohits(urls) == [NONSENSE]
    beacon = next(u for u in urls if "/_nohit" in u)
    assert beacon.startswith(site_server + "_nohit?")  # the site's own host, the site's own folder
    assert not page.context.cookies()


def test_nginx_answers_nohit_with_204_and_logs_no_address():
    log_format = next(line for line in NGINX.splitlines() if line.startswith("log_format qinglian"))
    assert "$remote_addr" not in log_format and "$http_user_agent" not in log_format and '"$request"' in log_format
    assert "access_log /var/log/nginx/qinglian.access.log qinglian;" in NGINX
    block = NGINX.split('location ~ "(^|/)_nohit$" {', 1)[1].split("}", 1)[0]
    assert block.strip() == "return 204;"


ACCESS_LOG = """\
[02/Dec/2026:10:00:01 +0800] "GET /letters/example-letter/ HTTP/1.1" 200 18000
[02/Dec/2026:10:00:02 +0800] "GET /letters/example-letter/ HTTP/2.0" 304 0
[02/Dec/2026:10:00:03 +0800] "GET /zh-hant/letters/example-letter/ HTTP/1.1" 200 18000
[02/Dec/2026:10:00:04 +0800] "GET /officials/example-official/ HTTP/1.1" 200 18000
[02/Dec/2026:10:00:05 +0800] "GET /officials/no-such/ HTTP/1.1" 404 500
[02/Dec/2026:10:00:06 +0800] "GET /officials/ HTTP/1.1" 200 9000
[02/Dec/2026:10:00:07 +0800] "GET /assets/stylesheets/qinglian.css HTTP/1.1" 200 9000
[02/Dec/2026:10:00:08 +0800] "POST /_nohit?q=%E9%BE%99%E7%8E%8B%E5%BA%99 HTTP/1.1" 204 0
[02/Dec/2026:10:00:09 +0800] "POST /_nohit?q=%E9%BE%99%E7%8E%8B%E5%BA%99 HTTP/1.1" 204 0
203.0.113.9 - - [02/Dec/2026:10:00:10 +0800] "POST /cili/_nohit?q=yry%20x HTTP/1.1" 204 0 "-" "Mozilla/5.0"
203.0.113.9 - - [02/Dec/2026:10:00:11 +0800] "GET /cili/letters/example-letter/index.html HTTP/1.1" 200 1 "-" "M"
garbage line
"""


def test_log_report_ranks_stories_and_unanswered_searches(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(ACCESS_LOG, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "report.py"), str(log)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    stories = out.split("最常读的故事")[1].split("没有结果的搜索")[0].strip().splitlines()[1:]
    assert [line.split() for line in stories] == [
        ["4", "letters/example-letter"],
        ["1", "officials/example-official"],
    ]
    searches = out.split("没有结果的搜索")[-1].strip().splitlines()[1:]
    assert [line.split(maxsplit=1) for line in searches] == [["2", "龙王庙"], ["1", "yry x"]]
    assert "203.0.113.9" not in out
    missing = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "report.py"), str(tmp_path / "none.log")], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "找不到日志文件" in missing.stderr
