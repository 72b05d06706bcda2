"""What navigating a document page found, kept so that a re-scan can revisit the page without
reading it again when the site says it is unchanged.

Reading a page (lxml, its kind, its links) is most of what the crawl does with a 304; for a
document page all the crawl takes from it is its kind, its title and its attachment links. They
are kept in the store's parse cache under a key of the page's URL (links resolve against it),
its body hash and the code that read them (:data:`VERSION`: any change to the page readers or
the spider reads every page again). Lists, home and navigation pages are read every time: the
list pacing and column discovery depend on more than this keeps, and they are few.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path


def parser_folder() -> Path:
    """Where ``auditor.parse`` is, found without importing it (the crawl needs it later)."""
    from importlib.util import find_spec

    spec = find_spec("auditor.parse")
    return Path(next(iter(spec.submodule_search_locations)))


def _code_version() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for source in sorted(parser_folder().glob("*.py")) + [
            here / "disclosure.py", here / "navigation.py"]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


VERSION = _code_version()


@dataclass(frozen=True)
class DocumentNavigation:
    """A document (or report) page as the spider read it: its kind and the evidence for it,
    its own title, and the attachments it links (URL, link text)."""

    kind: str
    cue: str | None
    title: str | None
    attachments: tuple[tuple[str, str], ...]

    def to_json(self) -> str:
        return json.dumps([self.kind, self.cue, self.title, self.attachments],
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DocumentNavigation | None:
        try:
            kind, cue, title, attachments = json.loads(text)
            return cls(kind, cue, title, tuple((url, link) for url, link in attachments))
        except (ValueError, TypeError):
            return None  # not ours, or from elsewhere: the page is read again


def navigation_key(url: str, body_hash: str) -> str:
    return "nav:" + hashlib.sha256(f"{VERSION}\x00{url}\x00{body_hash}".encode()).hexdigest()
