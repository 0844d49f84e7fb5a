"""Which files an ingest reads, and reading them safely.

Every entry of a given folder is accounted for: a file to ingest, or a skip with its reason (unsupported
type, hidden, a link, a pipe …). Symbolic links are not followed unless `follow_links` is set, and even then
never out of the folder that was given. Files are opened without following a link (O_NOFOLLOW), without
blocking (a named pipe never hangs the ingest), checked to be regular files, and read up to a size bound.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from policyqa.errors import SkipFile

log = logging.getLogger(__name__)

REASON_MISSING = "文件或文件夹不存在"
REASON_HIDDEN = "隐藏文件（名称以“.”开头），未导入"
REASON_HIDDEN_DIR = "隐藏文件夹（名称以“.”开头），其中的文件未导入"
REASON_LINK = "符号链接，默认不跟随（配置项 follow_links = true 时导入指向所给文件夹内部的链接）"
REASON_LINK_OUTSIDE = "符号链接指向所给文件夹之外，出于安全考虑未导入"
REASON_LINK_DANGLING = "符号链接指向的文件不存在（悬空链接）"
REASON_LINK_LOOP = "符号链接形成循环，未导入"
REASON_SPECIAL = "不是普通文件（命名管道、设备或套接字），未读取"
REASON_NOT_REGULAR = "不是普通文件，未读取"
REASON_CATALOG = "文件夹的元数据文件，已用于补充标题等信息"
REASON_UNREADABLE = "无法读取文件：{error}"
REASON_TOO_LARGE = "文件超过 {mb} MB 的大小上限，未读取（可调整配置项 max_file_mb）"
REASON_UPLOAD_NAME = "文件名无效（不能是路径、以“.”开头或为空）"
REASON_UPLOAD_LINK = "上传目录中同名的条目是符号链接或不是普通文件，已拒绝写入"


@dataclass(frozen=True)
class Found:
    """A file to read: its path, and the folder it was found under (a link may not lead out of it)."""

    path: Path
    root: Path  # resolved


@dataclass(frozen=True)
class Skipped:
    name: str  # as shown: the path relative to the given folder
    reason: str
    status: str = "skipped"  # "metadata" for the folder's catalog, which is read, not ingested


def discover(paths: Iterable[Path], suffixes: Iterable[str], catalog: str, follow_links: bool = False
             ) -> tuple[list[Found], list[Skipped]]:
    """The files to ingest under the given files and folders, and every other entry with why it is skipped.
    A given folder's own path may be a link (the user named it); links inside it are judged by the rules."""
    suffixes = {s.lower() for s in suffixes}
    found: list[Found] = []
    skipped: list[Skipped] = []
    for given in map(Path, paths):
        if given.is_dir():  # the named folder itself, through a link or not
            _walk(given, given.resolve(), suffixes, catalog, follow_links, found, skipped)
        elif given.is_symlink() or given.exists():
            root = given.parent.resolve()
            entry = _judge(given, root, suffixes, catalog, follow_links, str(given))
            if isinstance(entry, Skipped):
                skipped.append(entry)
            elif entry is not None:
                found.append(entry)
        else:
            skipped.append(Skipped(str(given), REASON_MISSING))
    return found, skipped


def _walk(folder: Path, root: Path, suffixes: set[str], catalog: str, follow_links: bool,
          found: list[Found], skipped: list[Skipped]) -> None:
    """Every entry under `folder`, depth first in name order, without recursion (any depth)."""
    stack = [folder]
    visited = {folder.resolve()}
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(_shown(current, folder), REASON_UNREADABLE.format(error=exc.strerror)))
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            shown = _shown(path, folder)
            if entry.name.startswith("."):
                is_dir = entry.is_dir(follow_symlinks=False)
                skipped.append(Skipped(shown, REASON_HIDDEN_DIR if is_dir else REASON_HIDDEN))
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(path)
                continue
            if entry.is_symlink() and follow_links and path.is_dir():
                target = path.resolve()
                if not _inside(target, root):
                    skipped.append(Skipped(shown, REASON_LINK_OUTSIDE))
                elif target in visited or _inside(folder.resolve(), target):
                    skipped.append(Skipped(shown, REASON_LINK_LOOP))
                else:
                    visited.add(target)
                    subfolders.append(path)
                continue
            judged = _judge(path, root, suffixes, catalog, follow_links, shown)
            if isinstance(judged, Skipped):
                skipped.append(judged)
            elif judged is not None:
                found.append(judged)
        stack.extend(reversed(subfolders))


def _judge(path: Path, root: Path, suffixes: set[str], catalog: str, follow_links: bool, shown: str
           ) -> Found | Skipped | None:
    """A file, a link or something else, found in (or given inside) `root`."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return Skipped(shown, REASON_LINK_DANGLING)
        except (RuntimeError, OSError) as exc:  # a loop of links
            return Skipped(shown, REASON_LINK_LOOP if "loop" in str(exc).lower() or getattr(
                exc, "errno", None) == errno.ELOOP else REASON_UNREADABLE.format(error=exc))
        if not _inside(target, root):
            return Skipped(shown, REASON_LINK_OUTSIDE)
        if not follow_links:
            return Skipped(shown, REASON_LINK)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return Skipped(shown, REASON_UNREADABLE.format(error=exc.strerror))
    if not stat.S_ISREG(mode):
        return Skipped(shown, REASON_SPECIAL if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                       or stat.S_ISSOCK(mode) else REASON_NOT_REGULAR)
    if path.name == catalog:
        return Skipped(shown, REASON_CATALOG, "metadata")
    if path.suffix.lower() not in suffixes:
        from policyqa.ingest.loaders.base import REASON_UNSUPPORTED

        return Skipped(shown, REASON_UNSUPPORTED.format(suffix=path.suffix.lower() or "（无扩展名）"))
    return Found(path, root)


def read_bytes(found: Found, follow_links: bool, max_bytes: int) -> bytes:
    """The file's bytes, opened so that it cannot turn into something else between the look and the read:
    no link followed (unless allowed, and then only inside its folder), no blocking on a pipe, regular
    files only, at most `max_bytes`."""
    path = found.path
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if follow_links:
        if not _inside(path.resolve(), found.root):
            raise SkipFile(REASON_LINK_OUTSIDE)
    else:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link that appeared after the look
            raise SkipFile(REASON_LINK) from exc
        raise SkipFile(REASON_UNREADABLE.format(error=exc.strerror)) from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SkipFile(REASON_SPECIAL)
        if info.st_size > max_bytes:
            raise SkipFile(REASON_TOO_LARGE.format(mb=max_bytes // (1024 * 1024)))
        data = fh.read(max_bytes + 1)  # the size may grow while we read
    if len(data) > max_bytes:
        raise SkipFile(REASON_TOO_LARGE.format(mb=max_bytes // (1024 * 1024)))
    return data


# --- uploads --------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def upload_target(folder: Path, name: str) -> Path:
    """Where an uploaded file named `name` may be written inside `folder`: the name's last part only, with
    control, bidirectional and reserved characters removed; never outside `folder`, never over a link.
    Raises `SkipFile` with the Chinese reason otherwise."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", strip_invisible(base)).strip(" ")
    stem, suffix = os.path.splitext(base)
    if not stem or base.startswith(".") or base in ("..", "."):
        raise SkipFile(REASON_UPLOAD_NAME)
    base = stem[:120] + suffix.lower()
    folder = Path(folder).resolve()
    target = folder / base
    if target.parent != folder or not _inside(target.parent, folder):
        raise SkipFile(REASON_UPLOAD_NAME)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise SkipFile(REASON_UPLOAD_LINK)
    return target


# --- names as shown -------------------------------------------------------------------------------

_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_invisible(text: str) -> str:
    """`text` without bidirectional controls (a right-to-left override reverses what follows it on screen)
    and with control characters (line breaks in a file name) as spaces."""
    text = _BIDI.sub("", text)
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def shown_name(name: str) -> str:
    """A file name as one safe line of the summary: controls visible as escapes, bidi controls removed."""
    text = _BIDI.sub("", name)
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc" else c for c in text)


def _shown(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False
