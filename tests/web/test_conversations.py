"""The conversation store: per owner, replaced on save, newest first, deleted only by its owner."""

from __future__ import annotations

from policyqa.web.conversations import ConversationStore


def _turn(q: str) -> dict:
    return {"question": q, "answer": "答。", "refused": False, "citations": []}


def test_save_list_get_delete_per_owner(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    store.save("user:a", "c1", [_turn("第一个问题是关于土地面积的很长很长很长很长很长很长的问题吗？")])
    store.save("user:a", "c2", [_turn("第二问")])
    store.save("user:b", "c3", [_turn("别人的问题")])
    store.save("user:a", "c1", [_turn("第一个问题是关于土地面积的很长很长很长很长很长很长的问题吗？"), _turn("追问")])
    listed = store.list("user:a")
    assert [c["id"] for c in listed] == ["c1", "c2"]  # c1 changed last
    assert listed[0]["n_turns"] == 2 and len(listed[0]["title"]) == 30
    assert [t["question"] for t in store.get("user:a", "c1")][1:] == ["追问"]
    store.save("user:a", "c2", [_turn("第二问")])  # reopened, unchanged: keeps its place
    assert [c["id"] for c in store.list("user:a")] == ["c1", "c2"]
    assert store.get("user:b", "c1") is None  # another owner's conversation is not found
    assert not store.delete("user:b", "c1")
    assert store.delete("user:a", "c1") and [c["id"] for c in store.list("user:a")] == ["c2"]
    store.save("user:a", "empty", [])
    assert store.get("user:a", "empty") is None
