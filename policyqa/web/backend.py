"""The web app's back end: the assistant loaded once in a background thread, shared by all sessions."""

from __future__ import annotations

import functools
import logging
import threading
import time
from pathlib import Path
from typing import Any, Protocol, Sequence

from policyqa.access.audit import AuditLog
from policyqa.access.users import Role, UserStore, parse_auth
from policyqa.answer.types import Answer
from policyqa.assistant import Asker, Assistant
from policyqa.config import AnswerMode, Config
from policyqa.embedding.background import BackgroundEmbedding
from policyqa.embedding.embedder import Embedder, load_embedder
from policyqa.errors import IndexUnavailable, PolicyQAError
from policyqa.ingest.pipeline import IngestReport, Progress, ingest
from policyqa.retrieve.retriever import RetrievalMode, RetrievalResult
from policyqa.schema import Document
from policyqa.store.index import DocInfo, Index, current_build
from policyqa.web.conversations import ConversationStore
from policyqa.web.examples import example_questions
from policyqa.web.feedback import FeedbackStore
from policyqa.web.page_image import page_image

log = logging.getLogger(__name__)

NO_INDEX = "尚未建立索引：请在“文档库”页上传政策文件，或在服务器上运行 python ingest.py 导入文件。"
LOADING = "正在加载模型和索引，请稍候…"
LOAD_TIMEOUT = 300  # seconds a request waits for the first load
EXAMPLE_DOCS = 12  # documents read for example questions: enough for four, cheap on a large library
WARM_UP_QUESTION = "规划的目标是什么？"


class LockedAssistant:
    """An `Asker` that asks each question under the backend lock, so chat and evaluation interleave safely
    and an ingest cannot reload the index in the middle of an answer."""

    def __init__(self, assistant: Assistant, lock: threading.RLock):
        self._assistant, self._lock = assistant, lock

    @property
    def cfg(self) -> Config:
        return self._assistant.cfg

    @property
    def index(self) -> Index:
        return self._assistant.index

    @property
    def embedder(self) -> Embedder:
        return self._assistant.embedder

    def ask(self, *args: Any, **kwargs: Any) -> Answer:
        with self._lock:
            return self._assistant.ask(*args, **kwargs)

    def reload(self) -> None:
        with self._lock:
            self._assistant.reload()


class EvalBackend(Protocol):
    """What the 评测 tab needs from the back end."""

    cfg: Config
    error: str

    def wait(self, timeout: float = LOAD_TIMEOUT) -> bool: ...

    def locked_assistant(self) -> Asker | None: ...


class Backend:
    """Holds the assistant (model + index) and the feedback store. Index reads and reloads are serialised by
    one lock, so an ingest never swaps the index under a running question."""

    def __init__(self, cfg: Config, embedder: Embedder | None = None):
        self.cfg = cfg
        self.embedder = embedder
        self.assistant: Assistant | None = None
        self.error = ""  # why there is no assistant (Chinese, shown to the user); "" when all is well
        self.ready = threading.Event()  # set once loading has finished, successfully or not
        self.lock = threading.RLock()
        self.feedback = FeedbackStore(cfg.feedback_db)
        self.conversations = ConversationStore(cfg.conversations_db)
        self.users = UserStore(cfg.users_db)
        self.audit = AuditLog(cfg.audit_db)
        self.load_seconds = 0.0
        self._build: Path | None = None  # the published build the assistant has open

    # --- loading ----------------------------------------------------------------------------------
    def start(self, background: bool = True) -> Backend:
        if background:
            threading.Thread(target=self.load, name="policyqa-load", daemon=True).start()
        else:
            self.load()
        return self

    def load(self) -> None:
        t = time.perf_counter()
        try:
            self._load()
        except Exception as exc:  # a bug, but never leave the app waiting forever
            log.exception("loading failed")
            self.error = f"加载失败：{type(exc).__name__}: {exc}"
        finally:
            self.load_seconds = time.perf_counter() - t
            self.ready.set()
            log.info("model and index loaded in %.1fs%s", self.load_seconds, f" ({self.error})" if self.error else "")
        self._warm_up()

    def _load(self) -> None:
        if self.embedder is None:
            try:
                self.embedder = load_embedder(self.cfg)
            except PolicyQAError as exc:
                self.error = f"嵌入模型无法加载：{exc.reason}"
                return
        self._open()

    def _open(self) -> None:
        with self.lock:
            build = current_build(self.cfg.index_dir)
            self._build = build
            if build is None:
                self.assistant, self.error = None, NO_INDEX
                return
            try:
                if self.assistant is None:
                    self.assistant = Assistant.open(self.cfg, embedder=self.embedder)
                else:
                    self.assistant.reload()
                self.error = ""
            except PolicyQAError as exc:
                self.assistant, self.error = None, exc.reason

    def _fresh(self) -> None:
        """Open the published build if an ingest outside the app (ingest.py) has replaced the one open.
        Callers hold the lock, so a question in flight finishes on the build it started with (its files stay
        readable through the open handles after the ingest prunes them)."""
        if self.ready.is_set() and self.embedder is not None and current_build(self.cfg.index_dir) != self._build:
            log.info("a new index was published: reloading")
            self._open()

    def _warm_up(self) -> None:
        """One throw-away question, so the first real one does not pay for lazy initialisation."""
        if self.assistant is None:
            return
        try:
            self.ask(WARM_UP_QUESTION)
        except Exception:  # warm-up only
            log.debug("warm-up failed", exc_info=True)

    def wait(self, timeout: float = LOAD_TIMEOUT) -> bool:
        """Block until loading has finished; False on timeout."""
        return self.ready.wait(timeout)

    @property
    def loaded(self) -> bool:
        return self.ready.is_set()

    def banner(self) -> str:
        """What the chat shows above the conversation: why there is no assistant ("" while loading or when
        all is well)."""
        return self.error if self.loaded else ""

    # --- questions --------------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            docs: list[str] | None = None, answer_mode: AnswerMode | str | None = None, *,
            user: str = "", channel: str | None = None) -> Answer:
        """Raises IndexUnavailable while there is no index, InvalidQuestion for an unsearchable question.
        A question asked through a `channel` (ui, api, openai) is written to the audit trail with `user`."""
        with self.lock:
            self._fresh()
            if self.assistant is None:
                raise IndexUnavailable(self.error or NO_INDEX)
            answer = self.assistant.ask(question, history=history, k=k, docs=docs, answer_mode=answer_mode)
            version = self.assistant.index.path.name
        if channel is not None:
            self.audit.record(user=user, channel=channel, answer=answer.to_json(), docs=docs, index_version=version)
        return answer

    def role(self, username: str | None) -> Role:
        """What a logged-in user may do: an account's role; without a login, or with a shared POLICYQA_AUTH
        login, everything (as before accounts existed); anyone else (an account deleted since it logged in)
        only reads."""
        if not username:
            return Role.ADMIN
        user = self.users.get(username)
        if user is not None:
            return user.role
        return Role.ADMIN if any(name == username for name, _ in parse_auth(self.cfg.auth)) else Role.READER

    def may_edit(self, username: str | None) -> bool:
        return self.role(username) in (Role.ADMIN, Role.EDITOR)

    def index_version(self) -> str:
        """The published build questions are answered on now (its folder name)."""
        build = current_build(self.cfg.index_dir)
        return build.name if build else ""

    def search(self, query: str, k: int, mode: RetrievalMode) -> RetrievalResult:
        """The ranked chunks for `query` with their scores (检索测试); raises IndexUnavailable without an index."""
        with self.lock:
            self._fresh()
            if self.assistant is None:
                raise IndexUnavailable(self.error or NO_INDEX)
            return self.assistant.retriever.search(query, k=k, mode=mode)

    def locked_assistant(self) -> LockedAssistant | None:
        """The assistant for a long job (an evaluation) that asks question by question under the lock."""
        with self.lock:
            self._fresh()
        return LockedAssistant(self.assistant, self.lock) if self.assistant is not None else None

    # --- documents --------------------------------------------------------------------------------
    def documents(self) -> list[DocInfo]:
        with self.lock:
            self._fresh()
            return self.assistant.index.documents() if self.assistant is not None else []

    def document(self, name: str) -> Document | None:
        with self.lock:
            self._fresh()
            return self.assistant.index.document(name) if self.assistant is not None else None

    def examples(self) -> list[str]:
        """Example questions for the empty chat (configured, else made from the first documents)."""
        if self.cfg.example_questions:
            return example_questions([], self.cfg.example_questions)
        docs = [self.document(d.name) for d in self.documents()[:EXAMPLE_DOCS]]
        return example_questions([d for d in docs if d is not None])

    def page_image(self, name: str, page: int, quote: str = "") -> str:
        """The cited page of a PDF document as a data: URI with the quote marked ('' when not available)."""
        with self.lock:
            self._fresh()
            path = self.assistant.index.document_path(name) if self.assistant is not None else ""
        return page_image(Path(path), page, quote) if path else ""

    @functools.cached_property
    def _background(self) -> BackgroundEmbedding:
        return BackgroundEmbedding(self.cfg)

    def ingest(self, files: list[Path], remove: Sequence[str] = (), progress: Progress | None = None) -> IngestReport:
        """Ingest `files` (and drop `remove`) into the index, then reload the assistant. The ingest embeds
        with fewer threads and at a lower OS priority, so questions asked meanwhile are answered first."""
        report = self._background.run(lambda: ingest(
            files, self.cfg, remove=list(remove), embedder=self._background.embedder(self.embedder),
            progress=progress, show_progress=False))
        with self.lock:  # a question asked since the publish may have opened the new build already
            if self.assistant is None or current_build(self.cfg.index_dir) != self._build:
                self._open()
        return report
