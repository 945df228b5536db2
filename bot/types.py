"""Answer-side data types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.api import Hit


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Source:
    doc_id: str
    title: str
    section: str
    score: float

    @classmethod
    def from_hit(cls, hit: Hit) -> Source:
        c = hit.chunk
        return cls(c.doc_id, c.title, c.section, round(float(hit.score), 4))


@dataclass
class Answer:
    """The result of answering one question.

    mode: "generated" (model output, passed the grounding check as is),
    "checked" (model output with unsupported sentences dropped),
    "extractive" (sentences/items selected from the passages),
    "refused" (outside the articles), "invalid" (bad input, nothing retrieved),
    "error" (a backend failed; `text` says which), "empty" (no article in the store yet).
    """

    text: str
    refused: bool = False
    sources: list[Source] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    mode: str = "generated"
    query: str = ""  # the standalone query used for retrieval
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    why: list[str] = field(default_factory=list)  # the scope rules that decided, in order (bot.decide.policy)
    evidence: dict[str, float] = field(default_factory=dict)  # what they decided on (dense, margin, overlap, bm25)

    def to_json(self) -> dict:
        """The contract's `ask --json` object (plus extra keys)."""
        return {
            "answer": self.text,
            "refused": self.refused,
            "sources": [asdict(s) for s in self.sources],
            "timings": {
                "retrieve_s": round(self.timings.get("retrieve_s", 0.0), 4),
                "generate_s": round(self.timings.get("generate_s", 0.0), 4),
                "total_s": round(self.timings.get("total_s", 0.0), 4),
            },
            "mode": self.mode,
            "query": self.query,
            "notes": self.notes,
            "why": self.why,
            "evidence": self.evidence,
        }
