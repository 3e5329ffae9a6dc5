"""Build safety: one build at a time per site folder, a staging folder of its own, and a swap that can never
leave the site missing.

- **Lock.** `mkdocs build` takes an exclusive `fcntl.flock` on `<site>.lock` beside the site folder before it
  touches anything there. A second build waits (QINGLIAN_LOCK_WAIT seconds, default 600) and then stops with a
  Chinese message naming the other build's process. The kernel drops the lock when its holder exits or is
  killed, so a killed build never blocks the next one. The lock file itself is never deleted (deleting it
  would let two builds hold "the" lock on two different files).
- **Staging.** The build writes into `<site>.building-<pid>`, a folder no other process uses. Under the lock,
  leftovers of killed builds (`<site>.building-*`, `<site>.previous-*`) are removed: no build can be using
  them, since every build holds the lock from before it creates its staging folder until after the swap.
- **Swap.** On Linux (renameat2 RENAME_EXCHANGE) and macOS (renamex_np RENAME_SWAP) the staging folder and the
  site folder trade names in one system call: before it the name `site` is the old site, after it the new one,
  and there is no moment in between, so a kill at any point leaves one of the two. The old site, now under the
  staging name, is deleted afterwards (a kill during that deletion leaves a leftover the next build removes).
  `site` stays a real folder (not a symlink), so GitHub Pages' upload, rsync and nginx serve its contents as
  before. Where neither call exists (or the file system refuses it) the swap falls back to two renames,
  `site` → `<site>.previous-<pid>` then staging → `site`; a kill between them leaves the old site under the
  first name, and the next build puts it back (`_recover`) before it does anything else.
- **Errors.** Disk full, read-only file system, missing permission: `os_error_message` turns the OSError into
  a Chinese message naming the path, what happened and what to do.

`QINGLIAN_TEST_PAUSE` (tests only): `<point>:<seconds>` sleeps at a named point of the swap, so a test can kill
the build exactly there.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.qinglian.publish")

LOCK_WAIT_ENV = "QINGLIAN_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 600.0
PAUSE_ENV = "QINGLIAN_TEST_PAUSE"

_WHAT = {
    errno.ENOSPC: ("磁盘空间已满", "清理磁盘（或换一个空间足够的目录）后重新构建"),
    errno.EDQUOT: ("磁盘配额已用完", "清理磁盘或请管理员提高配额后重新构建"),
    errno.EFBIG: ("文件超过了系统允许的大小", "检查磁盘和系统限制（ulimit -f）后重新构建"),
    errno.EROFS: ("所在的文件系统是只读的", "换一个可写的目录（mkdocs build -d 目录），或把它改为可写"),
    errno.EACCES: ("没有写入权限", "换一个有权限的目录（mkdocs build -d 目录），或修改文件夹权限"),
    errno.EPERM: ("操作不被允许", "换一个有权限的目录（mkdocs build -d 目录），或修改文件夹权限"),
}


class PublishError(Exception):
    """A located Chinese message about the site folder (the hooks raise it as a PluginError)."""


def os_error_message(err: OSError, doing: str, final: Path | None = None) -> str:
    """'构建失败：写入 site.building-12/x.html 时出错：磁盘空间已满。…' for an OSError of the build or the swap."""
    what, fix = _WHAT.get(err.errno, (err.strerror or type(err).__name__, "排除上述问题后重新构建"))
    path = err.filename2 or err.filename  # a copy names its source first and the file it wrote second
    where = f"“{path}”" if path else ""
    kept = f"上一次成功构建的网站保留在 {final}，未被改动。" if final else ""
    return f"构建失败：{doing}{where}时出错：{what}。{kept}修改：{fix}。"


def _pause(point: str) -> None:
    wanted = os.environ.get(PAUSE_ENV, "")
    name, _, seconds = wanted.partition(":")
    if name == point:
        print(f"qinglian-pause:{point}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 30))


@dataclass
class Publication:
    """One build's hold on its site folder: the lock, its staging folder, and the swap."""

    final: Path
    staging: Path
    lock_fd: int

    @classmethod
    def begin(cls, final: Path) -> Publication:
        """Take the lock (waiting for another build), clean up after killed builds, create the staging folder."""
        final = Path(final).absolute()
        lock_path = final.with_name(final.name + ".lock")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise PublishError(os_error_message(err, "创建构建锁文件")) from None
        try:
            _lock(fd, lock_path, final)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            _recover(final)
            staging = final.with_name(f"{final.name}.building-{os.getpid()}")
            staging.mkdir()
        except OSError as err:
            os.close(fd)
            raise PublishError(os_error_message(err, "准备构建目录", final if final.exists() else None)) from None
        except PublishError:
            os.close(fd)
            raise
        return cls(final, staging, fd)

    def swap_in(self) -> None:
        """Make the staging folder the site: one atomic exchange (or the documented two-rename fallback)."""
        _pause("before-swap")
        try:
            if not self.final.exists() and not self.final.is_symlink():
                os.rename(self.staging, self.final)  # nothing to replace: a single rename
            elif _exchange(self.staging, self.final):
                _pause("after-swap")
                shutil.rmtree(self.staging, ignore_errors=True)  # the old site, now under the staging name
            else:
                previous = self.final.with_name(f"{self.final.name}.previous-{os.getpid()}")
                os.rename(self.final, previous)
                _pause("between-renames")
                os.rename(self.staging, self.final)
                shutil.rmtree(previous, ignore_errors=True)
        except OSError as err:
            raise PublishError(os_error_message(err, "用新网站替换旧网站", self.final)) from None
        finally:
            self.release()

    def abandon(self) -> None:
        """The build failed: remove the half-built staging folder (only ours) and let the next build in."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.release()

    def release(self) -> None:
        if self.lock_fd >= 0:
            os.close(self.lock_fd)  # closing the file drops the flock
            self.lock_fd = -1


def _lock(fd: int, lock_path: Path, final: Path) -> None:
    import fcntl

    try:
        wait = float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT))
    except ValueError:
        wait = DEFAULT_LOCK_WAIT
    deadline, told = time.monotonic() + wait, False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(lock_path)
        if time.monotonic() >= deadline:
            raise PublishError(
                f"构建停止：另一个构建{holder}正在生成 {final}（锁文件 {lock_path}），已等待 {wait:.0f} 秒。"
                f"修改：等那个构建结束后再运行；两个构建要同时进行时，用 -d 给它们不同的输出目录。"
            )
        if not told:
            log.info("另一个构建%s正在生成 %s，等它结束（最多 %.0f 秒）……", holder, final, wait)
            told = True
        time.sleep(0.2)


def _holder(lock_path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(lock_path.read_text().strip())
        return f"（进程 {pid}）"
    return ""


def _recover(final: Path) -> None:
    """Under the lock: put back a site a killed fallback swap left aside; remove killed builds' leftovers."""
    leftovers = sorted(final.parent.glob(f"{final.name}.previous-*")) + sorted(
        final.parent.glob(f"{final.name}.building-*")
    )
    if not final.exists() and leftovers and leftovers[0].name.startswith(f"{final.name}.previous-"):
        os.rename(leftovers.pop(0), final)
        log.warning("上一次构建在替换网站时中断；已恢复它之前的网站 %s。", final)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap the names a and b; False where the system offers no such call (then nothing changed)."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(_libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = _libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif sys.platform == "darwin" and hasattr(_libc, "renamex_np"):
        result = _libc.renamex_np(os.fsencode(a), os.fsencode(b), 2)  # RENAME_SWAP
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # this file system cannot exchange: the two-rename fallback
    raise OSError(code, os.strerror(code), str(b))
