"""Reading layers register here by name; the pipeline runs the configured ones in order.

A layer is ``fn(parsed, report) -> dict``: it reads the parsed document (and the parts of the
report earlier layers made) and returns its own part of the report as field -> value. It does
no I/O and changes nothing it is given.
"""
from __future__ import annotations

from typing import Callable

from ..model import Report
from .nlp import Parsed

Layer = Callable[[Parsed, Report], dict]

LAYERS: dict[str, Layer] = {}

# The order matters: attributions use entities, qualify uses attributions, the timeline uses all.
DEFAULT_LAYERS: tuple[str, ...] = ("entities", "attributions", "times", "qualify", "timeline")


def layer(name: str) -> Callable[[Layer], Layer]:
    def register(fn: Layer) -> Layer:
        LAYERS[name] = fn
        return fn

    return register


def get_layer(name: str) -> Layer:
    _load_builtin_layers()
    try:
        return LAYERS[name]
    except KeyError:
        raise KeyError(f"no reading layer named {name!r}; known: {', '.join(sorted(LAYERS))}") from None


def _load_builtin_layers() -> None:
    # Importing a layer's module registers it.
    from . import attribution, entities, qualify, timeline, times  # noqa: F401
