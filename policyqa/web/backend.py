"""The web app's back end: the assistant loaded once in a background thread, shared by all sessions."""

from __future__ import annotations

import functools
import logging
import threading
import time
from pathlib import Path
from typing import Any, Protocol, Sequence

from policyqa.access.audit import AuditLog
from policyqa.access.kbs import DEFAULT_KB, KnowledgeBase, KnowledgeBases
from policyqa.access.users import Role, UserStore, parse_auth
from policyqa.answer.merge import merge
from policyqa.answer.types import Answer
from policyqa.assistant import Asker, Assistant
from policyqa.config import AnswerMode, Config
from policyqa.embedding.background import BackgroundEmbedding
from policyqa.embedding.embedder import Embedder, load_embedder
from policyqa.errors import AccessError, IndexUnavailable, InvalidQuestion, PolicyQAError
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
NO_KB_INDEX = "知识库“{name}”还没有文件：请在“文档库”页选择它并上传，或在服务器上运行 python ingest.py --kb 名称 文件。"
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

    def readable(self, username: str | None) -> list[KnowledgeBase]: ...

    def locked_assistant(self, kb: str | None = None, user: str | None = None) -> Asker | None: ...


class Backend:
    """Holds one assistant (index) per knowledge base over one shared embedding model, and the app's stores.
    Index reads and reloads are serialised by one lock, so an ingest never swaps an index under a running
    question. Every method that returns documents or passages takes the user asking and checks, here and not in
    the page, that they may read the knowledge base (`None`: no login, everything)."""

    def __init__(self, cfg: Config, embedder: Embedder | None = None):
        self.cfg = cfg
        self.embedder = embedder
        self.error = ""  # why the default knowledge base cannot answer (Chinese, shown); "" when all is well
        self.ready = threading.Event()  # set once loading has finished, successfully or not
        self.lock = threading.RLock()
        self.feedback = FeedbackStore(cfg.feedback_db)
        self.conversations = ConversationStore(cfg.conversations_db)
        self.users = UserStore(cfg.users_db)
        self.audit = AuditLog(cfg.audit_db)
        self.kbs = KnowledgeBases(cfg.kbs_db, cfg.index_dir)
        self.load_seconds = 0.0
        self._assistants: dict[str, Assistant] = {}  # knowledge base id → its open assistant
        self._builds: dict[str, Path | None] = {}  # knowledge base id → the published build opened
        self._errors: dict[str, str] = {}

    @property
    def assistant(self) -> Assistant | None:
        """The default knowledge base's assistant."""
        return self._assistants.get(DEFAULT_KB)

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
        self._open(DEFAULT_KB)

    def kb_config(self, kb: str) -> Config:
        """The configuration of one knowledge base: its own index folder (builds and uploads)."""
        return self.cfg.replace(index_dir=self.kbs.index_dir(kb))

    def _open(self, kb: str) -> None:
        with self.lock:
            cfg = self.kb_config(kb)
            build = current_build(cfg.index_dir)
            self._builds[kb] = build
            assistant, error = self._assistants.get(kb), ""
            if build is None:
                assistant, error = None, NO_INDEX if kb == DEFAULT_KB else NO_KB_INDEX.format(name=self._kb_name(kb))
            else:
                try:
                    if assistant is None:
                        assistant = Assistant.open(cfg, embedder=self.embedder)
                    else:
                        assistant.reload()
                except PolicyQAError as exc:
                    assistant, error = None, exc.reason
            if assistant is None:
                self._assistants.pop(kb, None)
            else:
                self._assistants[kb] = assistant
            self._errors[kb] = error
            if kb == DEFAULT_KB:
                self.error = error

    def _fresh(self, kb: str) -> None:
        """Open the knowledge base's published build if it is not open yet, or if an ingest outside the app
        (ingest.py) has replaced the one open. Callers hold the lock, so a question in flight finishes on the
        build it started with (its files stay readable through the open handles after the ingest prunes them)."""
        if not (self.ready.is_set() and self.embedder is not None):
            return
        if kb not in self._builds or current_build(self.kbs.index_dir(kb)) != self._builds[kb]:
            if kb in self._builds:
                log.info("a new index was published for knowledge base %s: reloading", kb)
            self._open(kb)

    def _assistant(self, kb: KnowledgeBase) -> Assistant:
        """The open assistant of `kb` (callers hold the lock); IndexUnavailable while it has no index."""
        self._fresh(kb.id)
        assistant = self._assistants.get(kb.id)
        if assistant is None:
            if self.embedder is None or not self.ready.is_set():
                raise IndexUnavailable(self.error or LOADING)
            raise IndexUnavailable(self._errors.get(kb.id) or NO_INDEX)
        return assistant

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

    # --- who may do what --------------------------------------------------------------------------
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

    def may_edit(self, username: str | None, kb: str = DEFAULT_KB) -> bool:
        found = self.kbs.get(kb)
        return found is not None and found.editable_by(username or "", self.role(username))

    def readable(self, username: str | None) -> list[KnowledgeBase]:
        """The knowledge bases `username` may read, the default one first."""
        role = self.role(username)
        return [kb for kb in self.kbs.all() if kb.readable_by(username or "", role)]

    def readable_kb(self, username: str | None, kb: str | None = None) -> KnowledgeBase:
        """Knowledge base `kb` (id or name; the default one when empty) if `username` may read it. One reason for
        a missing one and a forbidden one, so names a user may not read are not disclosed."""
        key = kb or DEFAULT_KB
        found = next((k for k in self.readable(username) if key in (k.id, k.name)), None)
        if found is None:
            raise AccessError(f"知识库“{key}”不存在，或您没有查阅它的权限。")
        return found

    def _chosen(self, username: str | None, kbs: Sequence[str] | None) -> list[KnowledgeBase]:
        """The knowledge bases a question searches: those chosen, else every one the user may read."""
        if kbs:
            return list({kb.id: kb for kb in (self.readable_kb(username, k) for k in kbs)}.values())
        chosen = self.readable(username)
        if not chosen:
            raise AccessError("您的账号还没有可以查阅的知识库，请联系管理员开通。")
        return chosen

    def manage(self, username: str | None) -> KnowledgeBases:
        """The knowledge base catalog, for creating, renaming, deleting and granting (admins only)."""
        if self.role(username) is not Role.ADMIN:
            raise AccessError("只有管理员可以管理知识库。")
        return self.kbs

    def delete_kb(self, username: str | None, kb: str) -> KnowledgeBase:
        """Drop a knowledge base with its index and files (admins only)."""
        with self.lock:
            gone = self.manage(username).delete(kb)
            assistant = self._assistants.pop(gone.id, None)
            if assistant is not None:
                assistant.index.close()
            self._builds.pop(gone.id, None)
        return gone

    # --- questions --------------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            docs: list[str] | None = None, answer_mode: AnswerMode | str | None = None, *,
            kbs: Sequence[str] | None = None, user: str | None = None, channel: str | None = None) -> Answer:
        """Answer from knowledge bases `kbs` (ids or names; default: all `user` may read). Raises AccessError for
        one the user may not read, IndexUnavailable while none has an index, InvalidQuestion for an
        unsearchable question. A question asked through a `channel` (ui, api, openai) goes to the audit trail."""
        chosen = self._chosen(user, kbs)
        parts, versions = [], {}
        with self.lock:
            opened = []
            for kb in chosen:
                try:
                    opened.append((kb, self._assistant(kb)))
                except IndexUnavailable:
                    if len(chosen) == 1:
                        raise
            if not opened:  # several chosen, none with an index
                raise IndexUnavailable(self.error or NO_INDEX)
            if docs:
                known = set().union(*(a.retriever.titles.keys() for _, a in opened))
                unknown = sorted(set(docs) - known)
                if unknown:
                    raise InvalidQuestion(f"检索范围中有未收录的文档：{'、'.join(unknown)}")
            for kb, assistant in opened:
                kb_docs = [d for d in docs if d in assistant.retriever.titles] if docs else None
                if docs and not kb_docs:
                    continue
                parts.append((kb.id, kb.name, assistant.ask(question, history=history, k=k, docs=kb_docs,
                                                            answer_mode=answer_mode)))
                versions[kb.id] = assistant.index.path.name
        answer = merge(parts)
        if channel is not None:
            self.audit.record(user=user or "", channel=channel, answer=answer.to_json(), docs=docs,
                              index_version=versions, kbs=[kb_id for kb_id, _, _ in parts])
        return answer

    def index_versions(self) -> dict[str, str]:
        """Knowledge base id → the published build its questions are answered on now (the build's folder)."""
        return self.kbs.builds()

    def index_version(self, kb: str = DEFAULT_KB) -> str:
        return self.index_versions().get(kb, "")

    def reproduce(self, username: str | None, row_id: int) -> tuple[str, Answer | None]:
        """Ask an audited question again on the index it was answered on (admins only): (what was found, the
        answer now). When a knowledge base has been re-indexed since, the old build is gone and the row is
        only marked as answered on an older version."""
        self.manage(username)
        row = self.audit.get(row_id)
        if row is None:
            raise AccessError(f"审计记录 {row_id} 不存在。")
        now = self.index_versions()
        older = [kb for kb, build in row["index_version"].items() if now.get(kb) != build]
        if older:
            names = "、".join(self._kb_name(kb) for kb in older)
            return f"第 {row_id} 条回答基于旧版索引（{names}），该版本已被之后的导入替换，无法原样复现。", None
        kbs = row["kbs"] or list(row["index_version"])
        answer = self.ask(row["question"], docs=row["docs"] or None, kbs=kbs)
        same = answer.answer == row["answer"]
        return (f"已在原索引版本上重新回答第 {row_id} 条问题：" + ("答案与当时一致。" if same else "答案与当时不同。"),
                answer)

    def _kb_name(self, kb_id: str) -> str:
        kb = self.kbs.get(kb_id)
        return kb.name if kb else kb_id

    def search(self, query: str, k: int, mode: RetrievalMode, *, kb: str | None = None,
               user: str | None = None) -> RetrievalResult:
        """The ranked chunks of one knowledge base for `query` with their scores (检索测试)."""
        found = self.readable_kb(user, kb)
        with self.lock:
            return self._assistant(found).retriever.search(query, k=k, mode=mode)

    def locked_assistant(self, kb: str | None = None, user: str | None = None) -> LockedAssistant | None:
        """The assistant of one knowledge base for a long job (an evaluation) that asks question by question
        under the lock; None while it has no index."""
        found = self.readable_kb(user, kb)
        with self.lock:
            try:
                return LockedAssistant(self._assistant(found), self.lock)
            except IndexUnavailable:
                return None

    def feedback_for(self, username: str | None, rating: str | None = None, since: str = "",
                     until: str = "") -> list[dict]:
        """Feedback rows `username` may see: their own, and others' whose citations all come from knowledge bases
        they may read (answers quote their documents); everything for an admin."""
        rows = self.feedback.select(rating, since, until)
        if self.role(username) is Role.ADMIN:
            return rows
        readable = {kb.id for kb in self.readable(username)}
        return [r for r in rows if r["user"] == username or (
            r["citations"] and all((c.get("kb") or DEFAULT_KB) in readable for c in r["citations"]))]

    # --- documents --------------------------------------------------------------------------------
    def documents(self, kb: str | None = None, user: str | None = None) -> list[DocInfo]:
        found = self.readable_kb(user, kb)
        with self.lock:
            try:
                return self._assistant(found).index.documents()
            except IndexUnavailable:
                return []

    def document(self, name: str, kb: str | None = None, user: str | None = None) -> Document | None:
        found = self.readable_kb(user, kb)
        with self.lock:
            try:
                return self._assistant(found).index.document(name)
            except IndexUnavailable:
                return None

    def examples(self, user: str | None = None) -> list[str]:
        """Example questions for the empty chat (configured, else made from the first readable documents)."""
        if self.cfg.example_questions:
            return example_questions([], self.cfg.example_questions)
        docs = []
        for kb in self.readable(user):
            docs += [self.document(d.name, kb.id, user) for d in self.documents(kb.id, user)[:EXAMPLE_DOCS - len(docs)]]
        return example_questions([d for d in docs if d is not None])

    def page_image(self, name: str, page: int, quote: str = "", kb: str | None = None,
                   user: str | None = None) -> str:
        """The cited page of a PDF document as a data: URI with the quote marked ('' when not available)."""
        found = self.readable_kb(user, kb)
        with self.lock:
            try:
                path = self._assistant(found).index.document_path(name)
            except IndexUnavailable:
                path = ""
        return page_image(Path(path), page, quote) if path else ""

    def uploads_dir(self, kb: str = DEFAULT_KB) -> Path:
        return self.kb_config(kb).uploads_dir

    @functools.cached_property
    def _background(self) -> BackgroundEmbedding:
        return BackgroundEmbedding(self.cfg)

    def ingest(self, files: list[Path], remove: Sequence[str] = (), progress: Progress | None = None, *,
               kb: str = DEFAULT_KB, user: str | None = None) -> IngestReport:
        """Ingest `files` (and drop `remove`) into knowledge base `kb`, if `user` may edit it, then reload its
        assistant. The ingest embeds with fewer threads and at a lower OS priority, so questions asked meanwhile
        are answered first."""
        found = self.readable_kb(user, kb)
        if not found.editable_by(user or "", self.role(user)):
            raise AccessError(f"您没有编辑知识库“{found.name}”的权限。")
        cfg = self.kb_config(found.id)
        report = self._background.run(lambda: ingest(
            files, cfg, remove=list(remove), embedder=self._background.embedder(self.embedder),
            progress=progress, show_progress=False))
        with self.lock:  # a question asked since the publish may have opened the new build already
            if found.id not in self._assistants or current_build(cfg.index_dir) != self._builds.get(found.id):
                self._open(found.id)
        return report
