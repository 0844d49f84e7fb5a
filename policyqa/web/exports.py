"""Files the app writes for a user to download (conversation, feedback and grade exports): each in a fresh
folder only this user account can read, files 0600, and folders older than `KEEP_SECONDS` removed."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

KEEP_SECONDS = 3600  # a download is fetched at once; an hour covers a slow one


def export_root() -> Path:
    """The private folder (0700) all exports of this server process's user go in."""
    root = Path(tempfile.gettempdir()) / f"policyqa-exports-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    if root.is_symlink() or root.stat().st_uid != os.getuid():  # someone else's folder at our name
        raise PermissionError(f"export folder {root} is not owned by this user")
    os.chmod(root, 0o700)
    return root


def export_dir(kind: str) -> Path:
    """A new private folder for one export; removes those older than KEEP_SECONDS first."""
    root = export_root()
    cutoff = time.time() - KEEP_SECONDS
    for old in root.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
        except OSError:
            log.debug("could not remove old export %s", old, exc_info=True)
    return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=root))


def write_private(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to a file only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def seal(path: str | Path) -> str:
    """Make a file another writer created readable by its owner only; returns it as a str for Gradio."""
    os.chmod(path, 0o600)
    return str(path)
