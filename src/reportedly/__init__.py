"""reportedly: reads news the way a fact-checker does."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import Failure, analyze, iter_reports  # noqa: E402
from .errors import InputError  # noqa: E402
from .model import Report  # noqa: E402

__all__ = ["Failure", "InputError", "Report", "analyze", "iter_reports", "__version__"]
