"""zwgk-auditor: audit government websites and annual reports against the 政府信息公开条例."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["AnnualReport", "Cell", "Section", "parse_report", "report_from_dict", "__version__"]

if TYPE_CHECKING:
    from .models import AnnualReport, Cell, Section, report_from_dict
    from .parse import parse_report

#: Imported on first use (PEP 562): every ``auditor.*`` import runs this file first, and the
#: crawl process, the store and ``auditor --help`` need none of the report parser.
_LAZY = {"AnnualReport": "models", "Cell": "models", "Section": "models",
         "report_from_dict": "models", "parse_report": "parse"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
