"""The report: one pydantic schema, the single source of truth for every layer.

Every span is character offsets into ``Report.text`` with ``text[start:end] == span.text``.
Field names and meanings follow ../shared/CONTRACT.md; additions are documented in the README.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "reportedly.report/1"

RemovedReason = Literal["duplicate", "promo", "related", "navigation", "byline", "caption", "other"]
SourceKind = Literal["person", "organization", "outlet", "unnamed", "document", "self"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Stance = Literal["assert", "deny", "confirm", "admit", "hedge", "other"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
HedgeKind = Literal["reported", "conditional", "hedge", "negated"]
EditorialKind = Literal["opinion", "loaded-label", "scare-label", "evaluative"]
TimelineRole = Literal["said", "reported", "narrated"]
EntityType = Literal["PERSON", "ORG", "OUTLET", "GPE", "LOC", "NORP", "PRODUCT", "EVENT", "OTHER"]


class Span(BaseModel):
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int, **extra):
        """A span of ``text`` (the report text) from start to end."""
        return cls(start=start, end=end, text=text[start:end], **extra)


class InputRef(BaseModel):
    path: Optional[str] = None
    url: Optional[str] = None
    format: Literal["text", "html"] = "text"


class Removed(Span):
    reason: RemovedReason


class Meta(BaseModel):
    title: Optional[str] = None
    authors: list[str] = Field(default_factory=list)
    published: Optional[str] = Field(None, description="YYYY-MM-DD")
    outlet: Optional[str] = None
    section: Optional[str] = None
    language: Optional[str] = Field(None, description="ISO 639-1")
    url: Optional[str] = None


class Entity(BaseModel):
    id: str
    name: str
    type: EntityType
    mentions: list[Span] = Field(default_factory=list)


class Source(Span):
    entity: Optional[str] = None
    kind: SourceKind


class Cue(Span):
    lemma: str


class Attribution(BaseModel):
    id: str
    parent: Optional[str] = None
    source: Optional[Source] = None
    cue: Cue
    content: list[Span]
    kind: QuoteKind
    stance: Stance


class TimeExpr(Span):
    id: str = Field(description="addition: lets `anchor` point at another time expression")
    type: TimeType
    value: Optional[str] = None
    anchor: Optional[str] = Field(None, description="id of the time expression this one is relative to")
    note: Optional[str] = Field(None, description="addition: why the value is open, where it is")
    mod: Optional[Literal["BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"]] = Field(
        None, description="addition: TIMEX3's mod, for a time anchored to a known event: the side of `value` it lies on")
    event: Optional[str] = Field(None, description="addition: the known event the time is anchored to "
                                 "(\"before Russia's full-scale invasion of Ukraine\"); `value` is its date")


class Hedge(Span):
    kind: HedgeKind
    target: Union[Span, str, None] = Field(None, description="a sentence span or an attribution id")


class Editorial(Span):
    kind: EditorialKind
    technique: Optional[str] = None
    voice: Optional[str] = Field(None, description="null: the outlet; else the attribution id of the speaker")


class TimelineEntry(BaseModel):
    """Addition: an attribution or reported event placed in time."""

    value: str = Field(description="TIMEX3 value the entry is placed at")
    time: str = Field(description="id of the time expression")
    what: Span = Field(description="the clause or sentence that happens at that time")
    attribution: Optional[str] = Field(None, description="the attribution made at that time (role `said`) or "
                                       "that reports what happened then (role `reported`)")
    role: TimelineRole = Field("narrated", description="addition: `said` when the attribution was made at that "
                               "time (\"Kahl said on Tuesday\"), `reported` when what it reports happened then, "
                               "`narrated` when the outlet tells it in its own voice")
    relation: Optional[Literal["before", "after"]] = Field(
        None, description="addition: the time has no value of its own and lies before or after `value`, its "
        "anchor's (\"a week later\")")


class Reading(BaseModel):
    """addition: how the attributions were read, which differs with the install and the CPU: reports made
    with different readings can differ."""
    tagger: Optional[Literal["bf16", "fp32"]] = Field(
        None, description="how the contextual tagger multiplied; null: it did not run (no torch, or REPORTEDLY_NO_TAGGER)")
    second_reading: Literal["off", "disputed", "all"] = Field(
        "off", description="which attributions the span reader read again (REPORTEDLY_SECOND_READING, --second-reading)")
    reader: Optional[Literal["int8", "bf16", "fp32"]] = Field(
        None, description="how the span reader multiplied (REPORTEDLY_READER_INT8); null: it did not read")


class Report(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(SCHEMA, alias="schema")
    input: InputRef
    text: str
    removed: list[Removed] = Field(default_factory=list)
    meta: Meta = Field(default_factory=Meta)
    entities: list[Entity] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    times: list[TimeExpr] = Field(default_factory=list)
    hedges: list[Hedge] = Field(default_factory=list)
    editorial: list[Editorial] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="addition: what the reading could not do, one line each")
    reading: Optional[Reading] = Field(None, description="addition: how the attributions were read (null: not read)")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")

    def kept_text(self) -> str:
        """``text`` less the ``removed`` stretches (what the article says)."""
        return kept_text(self.text, self.removed)


def kept_text(text: str, removed: list[Removed]) -> str:
    """``text`` less the ``removed`` stretches."""
    out, pos = [], 0
    for r in sorted(removed, key=lambda r: r.start):
        if r.start > pos:
            out.append(text[pos:r.start])
        pos = max(pos, r.end)
    out.append(text[pos:])
    return "".join(out)


def json_schema() -> dict:
    return Report.model_json_schema(by_alias=True)
