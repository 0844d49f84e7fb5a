"""User accounts (SQLite): salted argon2id password hashes, a role each, and API keys for other systems.

Passwords are hashed with argon2-cffi (memory-hard, salted, its parameters stored in the hash so they can be
raised later). API keys are long random tokens, so a plain SHA-256 of each is stored: a key cannot be read back,
only checked."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from policyqa.errors import AccessError, ConfigError
from policyqa.sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_sha256 TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
"""
KEY_PREFIX = "pqa-"
MIN_PASSWORD = 8


class Role(StrEnum):
    ADMIN = "admin"  # everything, including accounts and the audit trail
    EDITOR = "editor"  # upload and remove documents, and ask
    READER = "reader"  # ask


ROLE_LABELS = {Role.ADMIN: "管理员", Role.EDITOR: "编辑", Role.READER: "读者"}


@dataclass(frozen=True)
class User:
    name: str
    role: Role


def role_of(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccessError(f"未知的角色：{value}（可选：{'、'.join(r.value for r in Role)}）") from None


class UserStore(SQLiteFile):
    """The accounts of one data directory; every method is safe to call from several threads."""

    schema = SCHEMA

    def __init__(self, path):
        super().__init__(path)
        self._hasher = PasswordHasher()

    def add(self, name: str, password: str, role: Role | str = Role.READER) -> User:
        name = (name or "").strip()
        if not name or ":" in name or "," in name or len(name) > 64:
            raise AccessError("用户名不能为空，不超过 64 个字符，且不能含有“:”或“,”。")
        if len(password or "") < MIN_PASSWORD:
            raise AccessError(f"密码至少需要 {MIN_PASSWORD} 个字符。")
        user = User(name, role_of(role))
        try:
            with self._lock, self._connect() as db:
                db.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?,?,?,?)",
                           (name, user.role.value, self._hasher.hash(password), _now()))
        except sqlite3.IntegrityError:
            raise AccessError(f"用户 {name} 已存在。") from None
        return user

    def get(self, name: str) -> User | None:
        with self._connect() as db:
            row = db.execute("SELECT name, role FROM users WHERE name=?", (name,)).fetchone()
        return User(row[0], Role(row[1])) if row else None

    def users(self) -> list[User]:
        with self._connect() as db:
            return [User(n, Role(r)) for n, r in db.execute("SELECT name, role FROM users ORDER BY name")]

    def __len__(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT count(*) FROM users").fetchone()[0]

    def verify(self, name: str, password: str) -> User | None:
        """The user when `password` is theirs, else None (an unknown name costs as much as a wrong password)."""
        with self._connect() as db:
            row = db.execute("SELECT name, role, password_hash FROM users WHERE name=?", (name,)).fetchone()
        stored = row[2] if row else _dummy_hash()
        try:
            self._hasher.verify(stored, password or "")
        except (VerificationError, InvalidHashError):
            return None
        return User(row[0], Role(row[1])) if row else None

    def remove(self, name: str) -> bool:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM api_keys WHERE user=?", (name,))
            return db.execute("DELETE FROM users WHERE name=?", (name,)).rowcount > 0

    def new_api_key(self, name: str, label: str = "") -> str:
        """A new key for user `name`, shown once: only its hash is kept."""
        if self.get(name) is None:
            raise AccessError(f"用户 {name} 不存在。")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO api_keys (key_sha256, user, label, created_at) VALUES (?,?,?,?)",
                       (_sha256(key), name, label, _now()))
        return key

    def user_for_key(self, key: str) -> User | None:
        if not key or not key.startswith(KEY_PREFIX):
            return None
        with self._connect() as db:
            row = db.execute("SELECT u.name, u.role FROM api_keys k JOIN users u ON u.name = k.user "
                             "WHERE k.key_sha256=?", (_sha256(key),)).fetchone()
        return User(row[0], Role(row[1])) if row else None


def parse_auth(spec: str) -> list[tuple[str, str]]:
    """`user:password[,user2:password2]` → [(user, password), …]; malformed entries raise ConfigError."""
    out = []
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user or not password:
            raise ConfigError("POLICYQA_AUTH 格式应为 用户名:密码[,用户名2:密码2]")
        out.append((user, password))
    return out


def _sha256(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


@cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so that timing does not tell which names exist."""
    return PasswordHasher().hash(secrets.token_hex(16))
