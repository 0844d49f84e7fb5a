"""Knowledge bases (知识库): named collections, each with its own documents and index folder, and who may read
and edit each. The catalog is one SQLite file in the data directory.

The default knowledge base is the data directory's own index (`index/current`), so an installation from before
knowledge bases existed, and `make run` on a fresh clone, keep working with no set-up. Every other one lives in
`index/kb/<id>/` with its own builds and uploads. The id never changes; the name shown can be renamed."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from policyqa.access.users import Role
from policyqa.errors import AccessError
from policyqa.sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS kbs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    readers TEXT NOT NULL,      -- JSON list of user names; "*" = every account
    editors TEXT NOT NULL,      -- JSON list of user names (editor role); "*" = every editor
    created_at TEXT NOT NULL
);
"""
DEFAULT_KB = "default"
DEFAULT_NAME = "默认知识库"
EVERYONE = "*"
KB_FOLDER = "kb"
MAX_NAME = 40
_BAD_NAME = re.compile(r"[\x00-\x1f/\\<>\"'`]")


@dataclass(frozen=True)
class KnowledgeBase:
    id: str
    name: str
    readers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    created_at: str = ""

    def readable_by(self, user: str, role: Role) -> bool:
        """Admins read everything; others a knowledge base that lists them (or everyone) as reader or editor."""
        if role is Role.ADMIN:
            return True
        return bool({user, EVERYONE} & set(self.readers + self.editors))

    def editable_by(self, user: str, role: Role) -> bool:
        """Admins edit everything; an editor the knowledge bases that list them (or every editor) as editor.
        A reader account never edits, whatever the lists say."""
        if role is Role.ADMIN:
            return True
        return role is Role.EDITOR and bool({user, EVERYONE} & set(self.editors))


class KnowledgeBases(SQLiteFile):
    """The catalog of knowledge bases under one data directory."""

    schema = SCHEMA

    def __init__(self, path: str | Path, data_dir: str | Path):
        super().__init__(path)
        self.data_dir = Path(data_dir)
        with self._lock, self._connect() as db:  # everyone reads the default one, and every editor edits it
            db.execute("INSERT OR IGNORE INTO kbs VALUES (?,?,?,?,?)",
                       (DEFAULT_KB, DEFAULT_NAME, json.dumps([EVERYONE]), json.dumps([EVERYONE]), _now()))

    def all(self) -> list[KnowledgeBase]:
        """Every knowledge base, the default one first, then by creation."""
        with self._connect() as db:
            rows = db.execute("SELECT id, name, readers, editors, created_at FROM kbs "
                              "ORDER BY id != ?, rowid", (DEFAULT_KB,)).fetchall()
        return [_kb(r) for r in rows]

    def get(self, key: str) -> KnowledgeBase | None:
        """The knowledge base with this id or name."""
        key = (key or "").strip()
        return next((kb for kb in self.all() if key in (kb.id, kb.name)), None)

    def need(self, key: str) -> KnowledgeBase:
        kb = self.get(key)
        if kb is None:
            raise AccessError(f"知识库“{key}”不存在。")
        return kb

    def create(self, name: str, readers: list[str] | tuple[str, ...] = (),
               editors: list[str] | tuple[str, ...] = ()) -> KnowledgeBase:
        """A new, empty knowledge base; without reader or editor lists only admins see it."""
        name = _valid_name(name)
        kb = KnowledgeBase(f"kb-{secrets.token_hex(4)}", name, _names(readers), _names(editors), _now())
        with self._lock, self._connect() as db:
            if db.execute("SELECT 1 FROM kbs WHERE name = ?", (name,)).fetchone():
                raise AccessError(f"知识库“{name}”已存在。")
            db.execute("INSERT INTO kbs VALUES (?,?,?,?,?)", (kb.id, kb.name, json.dumps(list(kb.readers)),
                                                             json.dumps(list(kb.editors)), kb.created_at))
        self.index_dir(kb).mkdir(parents=True, exist_ok=True)
        return kb

    def rename(self, key: str, name: str) -> KnowledgeBase:
        kb, name = self.need(key), _valid_name(name)
        with self._lock, self._connect() as db:
            if db.execute("SELECT 1 FROM kbs WHERE name = ? AND id != ?", (name, kb.id)).fetchone():
                raise AccessError(f"知识库“{name}”已存在。")
            db.execute("UPDATE kbs SET name = ? WHERE id = ?", (name, kb.id))
        return self.need(kb.id)

    def set_access(self, key: str, readers: list[str] | tuple[str, ...],
                   editors: list[str] | tuple[str, ...]) -> KnowledgeBase:
        kb = self.need(key)
        with self._lock, self._connect() as db:
            db.execute("UPDATE kbs SET readers = ?, editors = ? WHERE id = ?",
                       (json.dumps(list(_names(readers))), json.dumps(list(_names(editors))), kb.id))
        return self.need(kb.id)

    def delete(self, key: str) -> KnowledgeBase:
        """Drop a knowledge base with its index and uploaded files (never the default one)."""
        kb = self.need(key)
        if kb.id == DEFAULT_KB:
            raise AccessError("默认知识库不能删除。")
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM kbs WHERE id = ?", (kb.id,))
        shutil.rmtree(self.index_dir(kb), ignore_errors=True)
        return kb

    def builds(self) -> dict[str, str]:
        """Knowledge base id → the index build published now (its folder name), for those with an index."""
        from policyqa.store.index import current_build

        builds = {kb.id: current_build(self.index_dir(kb)) for kb in self.all()}
        return {kb: build.name for kb, build in builds.items() if build is not None}

    def index_dir(self, kb: KnowledgeBase | str) -> Path:
        """The folder holding the knowledge base's builds and uploads."""
        kb_id = kb.id if isinstance(kb, KnowledgeBase) else kb
        return self.data_dir if kb_id == DEFAULT_KB else self.data_dir / KB_FOLDER / kb_id


def _kb(row) -> KnowledgeBase:
    kb_id, name, readers, editors, created = row
    return KnowledgeBase(kb_id, name, tuple(json.loads(readers)), tuple(json.loads(editors)), created)


def _valid_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AccessError("请给出知识库名称。")
    if len(name) > MAX_NAME or _BAD_NAME.search(name):
        raise AccessError(f"知识库名称不能超过 {MAX_NAME} 个字，也不能含有 / \\ < > 引号或控制字符。")
    return name


def _names(names) -> tuple[str, ...]:
    if isinstance(names, str):
        names = re.split(r"[,，、\s]+", names)
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")
