"""numpy's BLAS on one thread while a document is read.

The reading layers multiply small matrices (the tagger's head, the qualify and match models); numpy's
and scipy's OpenBLAS wake a pool of threads for each product and leave them spinning afterwards, where
they take the cores from torch's and spaCy's own threads. On 2 cores that made the attribution tagger
1.7x slower inside ``analyze`` than alone. One BLAS thread costs those small products nothing.
"""
from __future__ import annotations

import sys
from contextlib import nullcontext

_controller: tuple[int, object] | None = None  # (modules loaded when it looked, the controller)


def one_blas_thread():
    """A context manager: every BLAS loaded so far limited to one thread inside it, restored after.
    The loaded libraries are looked up again only when modules were imported since the last look
    (libraries such as scipy's load lazily, with their module; a look reads /proc/self/maps, ~1 ms)."""
    global _controller
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency; only a broken install lacks it
        return nullcontext()
    if _controller is None or _controller[0] != len(sys.modules):
        _controller = (len(sys.modules), ThreadpoolController())
    return _controller[1].limit(limits=1, user_api="blas")
