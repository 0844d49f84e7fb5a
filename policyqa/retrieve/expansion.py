"""Lay ↔ official wording for the lexical side: a question saying 房东 or 赔钱 also searches 出租人 and 赔偿."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

LAY_TERMS = Path(__file__).with_name("lay_terms.tsv")
# an aspect particle inside a lay phrase (狗咬了人, 吃过亏) is the phrase (狗咬人, 吃亏) in another tense
ASPECT_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])[了过着](?=[\u4e00-\u9fff])")


def says(phrase: str, question: str) -> bool:
    """`question` says the lay `phrase`, maybe with an aspect particle in it (狗咬了人 says 狗咬人)."""
    return phrase in question or phrase in ASPECT_PARTICLE.sub("", question)


@dataclass(frozen=True)
class LayTerms:
    """A table of lay phrases and the official terms they stand for."""

    table: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path = LAY_TERMS) -> "LayTerms":
        table: dict[str, list[str]] = {}
        for line in path.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                lay, official = line.split("\t")
                table.setdefault(lay.strip(), []).append(official.strip())
        return cls({k: tuple(v) for k, v in table.items()})

    def expand(self, question: str, terms: list[str], tokenize: Callable[[str], list[str]]) -> list[str]:
        """`terms` plus the tokens of the official terms for the lay phrases `question` contains."""
        bare = ASPECT_PARTICLE.sub("", question)
        extra = [t for lay, officials in self.table.items() if lay in question or lay in bare
                 for official in officials for t in tokenize(official)]
        return terms + [t for t in dict.fromkeys(extra) if t not in terms]
