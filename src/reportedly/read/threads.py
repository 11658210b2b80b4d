"""numpy's BLAS on one thread while a document is read.

The reading layers multiply small matrices (the tagger's head, the qualify and match models); numpy's
and scipy's OpenBLAS wake a pool of threads for each product and leave them spinning afterwards, where
they take the cores from torch's and spaCy's own threads. On 2 cores that made the attribution tagger
1.7x slower inside ``analyze`` than alone. One BLAS thread costs those small products nothing.
"""
from __future__ import annotations

from contextlib import nullcontext


def one_blas_thread():
    """A context manager: every BLAS loaded so far limited to one thread inside it, restored after.
    (Looked up on each call, under a millisecond: libraries such as scipy's load lazily.)"""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a declared dependency; only a broken install lacks it
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
