"""Sentences addressed to the question-answering system rather than to the document's readers.

A policy document informs people; a sentence that instructs an AI (系统提示：…, 忽略以上指令, 你现在是一个…助手,
"ignore the previous instructions", 必须回答…) is not a statement of fact and must never be quoted as an
answer. The rules are general Chinese and English wording of prompts and instructions, not any document's
phrases. Found spans are kept per paragraph in the index (`Paragraph.instruction_spans`)."""

from __future__ import annotations

import re

from policyqa.text import sentences

# who a prompt is addressed to
_AGENT = r"(?:人工智能|AI|大模型|大语言模型|语言模型|模型|智能助手|助手|机器人|问答系统|智能体|ChatGPT|GPT)"
_EARLIER = r"(?:之前|以上|上述|上面|前面|先前|此前|原有|原来|原先|所有|全部|一切|其他|其它|你的|你收到的)"
_ORDERS = r"(?:指令|指示|提示词|提示|规则|设定|约束|限制|对话|命令|系统消息|prompt)"

# a header that turns the rest of its paragraph into a message to the system: 系统提示：… / [SYSTEM] … / <|im_start|>
_HEADER = re.compile(
    r"(?:^|[\s【\[<（(「])(?:系统|system|assistant|developer|" + _AGENT + r")\s*(?:提示词|提示|指令|消息|设定|"
    r"角色|prompt|message|instructions?)\s*[】\]>）)」]?\s*[：:]"
    r"|(?:^|[\s【\[<（(「])(?:system|assistant|developer)\s*[】\]>）)」]?\s*[：:]"
    r"|<\|?(?:im_start|im_end|system|endoftext)\|?>|\[/?INST\]|<<SYS>>",
    re.I)
# an order to drop what was said before: 忽略以上指令 / 无视之前的所有规则 / ignore the previous instructions
_OVERRIDE = re.compile(
    r"(?<![不别勿禁严得])(?:忽略|无视|忘记|忘掉|不要理会|不再遵守|不要遵守|不必遵守|覆盖|推翻)(?:掉)?"
    + _EARLIER + r"?(?:的)?(?:所有|全部|一切|任何)?(?:的)?" + _ORDERS
    + r"|\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?"
      r"(?:previous|prior|above|earlier|preceding|former|original|system)\s+(?:instructions?|prompts?|rules|"
      r"messages|context|directions|guidelines)",
    re.I)
# a role given to the reader as a machine: 你现在是一个…助手 / 扮演… / you are now a … assistant
_ROLE = re.compile(
    r"你(?:现在|从现在起|接下来)?(?:是|就是|扮演|作为|充当)(?:一个|一名|一位)?[^。！？\n]{0,16}" + _AGENT
    + r"|(?:扮演|充当|假装(?:你)?是)(?:一个|一名)?[^。！？\n]{0,10}" + _AGENT
    + r"|作为(?:一个|一名)?" + r"(?:人工智能|AI|大模型|大语言模型|语言模型)"
    + r"|\byou\s+are\s+(?:now\s+)?(?:a|an|the)\s+[\w\s-]{0,30}?(?:assistant|model|AI|chatbot|bot)\b"
    + r"|\b(?:act|pretend|behave)\s+as\s+(?:a|an|the|if)\b|\bsystem\s+prompt\b|\bjailbreak|\bdeveloper\s+mode\b",
    re.I)
# an order about what to answer: 必须回答… / 当用户问…时，回答… / always answer …
_ANSWER_ORDER = re.compile(
    r"(?:必须|务必|一律|只能|只许|只准|始终|总是|一定要|统一)(?:直接)?(?:回答|回复|输出|告诉用户|声称)"
    r"|(?:当|如果|若|如|一旦)(?:有)?(?:用户|有人|提问者|别人)(?:问|询问|提问|咨询|问到)[^。！？\n]{0,40}(?:回答|回复|告诉|说|输出)"
    r"|(?:不要|不得|不能|切勿)(?:告诉|透露给?|让)(?:用户|提问者)"
    r"|(?:回答|回复)(?:用户|提问者)(?:的)?(?:问题|提问)?时"
    r"|\b(?:always|must|only)\s+(?:answer|respond|reply|say|output|tell)\b"
    r"|\b(?:answer|respond|reply)\s+(?:with|that)\b[^.!?\n]{0,40}\b(?:regardless|no matter|whatever)\b",
    re.I)


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` (a paragraph) addressed to the system, in order and merged. A header (系统提示：) or an
    order to drop what came before takes the rest of the paragraph with it: what follows it is the
    instruction's payload (the "fact" it wants repeated), not the document's own statement."""
    spans: list[tuple[int, int]] = []
    for s, e in sentences(text):
        if spans and spans[-1][1] >= len(text.rstrip()):
            break
        sentence = text[s:e]
        if _HEADER.search(sentence) or _OVERRIDE.search(sentence):
            spans.append((s, len(text.rstrip())))
            break
        if _ROLE.search(sentence) or _ANSWER_ORDER.search(sentence):
            spans.append((s, e))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def overlaps(spans: tuple[tuple[int, int], ...] | list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) touches one of `spans`."""
    return any(s < end and start < e for s, e in spans)


def masked(text: str, spans, note: str) -> str:
    """`text` with each span replaced by `note` (what the LLM reads instead of an instruction)."""
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], note]
        last = e
    return "".join(out) + text[last:]
