"""numpy's BLAS on one thread while a document is read.

The reading layers multiply small matrices (the tagger's head, the qualify and match models); numpy's
and scipy's OpenBLAS wake a pool of threads for each product and leave them spinning afterwards, where
they take the cores from torch's and spaCy's own threads. On 2 cores that made the attribution tagger
1.7x slower inside ``analyze`` than alone. One BLAS thread costs those small products nothing.
"""
from __future__ import annotations

import ctypes
import functools
import sys
import threading
from contextlib import nullcontext

_lock = threading.Lock()
_cached: tuple[int, object] | None = None  # (shared objects loaded when it was made, the controller)


def _loaded_objects() -> int | None:
    """How many shared objects the process has loaded (Linux: ``dl_iterate_phdr``, about 20 us);
    None where that cannot be counted."""
    walk = _walker()
    if walk is None:
        return None
    count = [0]

    def one(info, size, data):
        count[0] += 1
        return 0

    walk(_CALLBACK(one), None)
    return count[0]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)


@functools.lru_cache(maxsize=1)
def _walker():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).dl_iterate_phdr
    except (OSError, AttributeError):
        return None


def one_blas_thread():
    """A context manager: every BLAS loaded so far limited to one thread inside it, restored after.
    Finding the loaded BLAS libraries costs about 3 ms in a full process, so the lookup is kept until
    the process loads or unloads a shared object (libraries such as scipy's load lazily, some without
    a Python import): counting them is cheap."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency; only a broken install lacks it
        return nullcontext()
    global _cached
    loaded = _loaded_objects()
    with _lock:
        if loaded is None or _cached is None or _cached[0] != loaded:
            _cached = (loaded if loaded is not None else -1, ThreadpoolController())
        controller = _cached[1]
    return controller.limit(limits=1, user_api="blas")
