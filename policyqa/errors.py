"""One error family: every failure a user can act on is a `PolicyQAError` whose `reason` is Chinese.

The CLI prints `错误：<reason>` and exits 2; the app shows the reason in a toast or the status line. Anything
else that escapes is a bug and keeps its stack trace."""

from __future__ import annotations


class PolicyQAError(Exception):
    """Base of the family; `reason` is the user-facing (Chinese) explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ConfigError(PolicyQAError, ValueError):
    """A setting that is unknown or has a value outside its allowed choices."""


class ModelError(PolicyQAError, RuntimeError):
    """The embedding model is missing, incomplete or cannot be loaded."""


class SkipFile(PolicyQAError):
    """A file that cannot be ingested; the rest of the ingest goes on."""


class IndexUnavailable(PolicyQAError):
    """The index is missing, incompatible or locked by another ingest."""


class InvalidQuestion(PolicyQAError, ValueError):
    """A question that cannot be searched (empty, too long, no text)."""


class QuestionSetError(PolicyQAError, ValueError):
    """A question set that cannot be read; the reason names the file and the line or row."""


class RunError(PolicyQAError):
    """An evaluation run folder that cannot be read back."""


class AccessError(PolicyQAError):
    """A user, a password, a role or an API key that cannot be used."""
