"""reportedly: reads news the way a fact-checker does."""
from __future__ import annotations

__version__ = "0.1.0"

import os as _os

# torch's OpenMP threads, once a product is done, spin on their core waiting for the next one unless told
# to sleep; beside the spaCy parse of the main thread (pipeline.analyze_documents) that spinning takes the
# parse's core. Read when torch loads, so set before any import of it; a value the caller set is kept.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .api import Failure, analyze, iter_reports  # noqa: E402
from .errors import InputError  # noqa: E402
from .model import Report  # noqa: E402

__all__ = ["Failure", "InputError", "Report", "analyze", "iter_reports", "__version__"]
