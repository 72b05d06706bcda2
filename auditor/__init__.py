"""zwgk-auditor: audit government websites and annual reports against the 政府信息公开条例."""

from .models import AnnualReport, Cell, Section, report_from_dict
from .parse import parse_report

__version__ = "0.1.0"

__all__ = ["AnnualReport", "Cell", "Section", "parse_report", "report_from_dict", "__version__"]
