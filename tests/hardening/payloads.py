"""The hostile-comment corpus (tests/data/hardening/xss_payloads.txt), read into objects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "hardening" / "xss_payloads.txt"
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|[tn0\\])")
SWALLOWS_REST = "!swallows-rest"
_SIMPLE = {"t": "\t", "n": "\n", "0": "\0", "\\": "\\"}


def unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        token = match.group(1)
        return chr(int(token[1:], 16)) if token[0] == "u" else _SIMPLE[token]

    return _ESCAPE.sub(replace, text)


@dataclass(frozen=True)
class Payload:
    number: int
    line: int
    category: str
    text: str
    visible: tuple[str, ...]
    swallows_rest: bool = False

    @property
    def start(self) -> str:
        return f"HX{self.number:03d}a"

    @property
    def end(self) -> str:
        return f"HX{self.number:03d}z"

    @property
    def comment(self) -> str:
        """What is posted: the payload between two plain markers, each its own paragraph,
        so the payload keeps its Markdown block meaning and the markers show whether it
        swallowed the text around it."""
        return f"{self.start}\n\n{self.text}\n\n{self.end}"

    @property
    def has_nul(self) -> bool:
        return "\0" in self.text

    @property
    def label(self) -> str:
        return f"#{self.number} (line {self.line}, {self.category}): {self.text[:60]!r}"


def payloads_load(path: Path = CORPUS) -> list[Payload]:
    result = []
    for line_number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        category, payload, *visible = raw.split("\t")
        swallows = SWALLOWS_REST in visible
        visible = [v for v in visible if v != SWALLOWS_REST]
        result.append(
            Payload(
                number=len(result) + 1,
                line=line_number,
                category=category,
                text=unescape(payload),
                visible=tuple(unescape(v) for v in visible),
                swallows_rest=swallows,
            )
        )
    return result
