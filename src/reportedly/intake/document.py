"""What intake hands to the reading layers: the article text, its furniture, its metadata."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..model import InputRef, Meta, Removed


@dataclass
class Document:
    text: str
    format: Literal["text", "html"]
    path: str | None = None
    url: str | None = None
    removed: list[Removed] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    warnings: list[str] = field(default_factory=list)

    @property
    def input_ref(self) -> InputRef:
        return InputRef(path=self.path, url=self.url, format=self.format)
