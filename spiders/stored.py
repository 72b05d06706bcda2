"""What a re-scan reuses of the site's last finished run: the validators of its pages, their
stored bodies and the navigation of its document pages, read ahead in batches (one query a
page cost more than the rest of a 304's handling). No Scrapy here: the revalidation pass
(spiders/revalidate.py) starts with it before Scrapy is imported."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from auditor.store import Store, Validators

from .navigation import DocumentNavigation, navigation_key

#: Stored bodies read in one query when a 304 needs one that was not read yet: the next ones
#: in the last run's order (one query a page cost more than the rest of a 304's handling).
READ_AHEAD = 100


class StoredPages:
    """What the site's last finished run stored: validators by URL, in that run's order, and
    the bodies, read :data:`READ_AHEAD` at a time in that order."""

    def __init__(self, db_path: str | None, validators: dict[str, Validators]) -> None:
        self.db_path = db_path
        self.validators = validators
        self.store: Store | None = None
        #: Hashes in the order the last run fetched them, where each first is, and which
        #: were used already (not read ahead again).
        self.order = list(dict.fromkeys(v.hash for v in validators.values()))
        self.position = {digest: index for index, digest in enumerate(self.order)}
        self.used = bytearray(len(self.order))
        #: Bodies read ahead, not used yet (bounded: a crawl in another order reads less
        #: ahead, never more).
        self.ahead: dict[str, bytes] = {}
        #: Document navigations read ahead (None: none kept), by key.
        self.navigations: dict[str, DocumentNavigation | None] = {}

    @classmethod
    def before_run(cls, db_path: str, run_id: int) -> StoredPages:
        """The pages of the last finished run of ``run_id``'s site before it."""
        with Store(db_path) as store:
            run = store.run(run_id)
            validators = store.validators(run.site, before_run=run.id) if run else {}
        return cls(db_path, validators)

    def get(self, url: str) -> Validators | None:
        return self.validators.get(url)

    def body(self, digest: str, upcoming: Iterable[str] | None = None) -> bytes | None:
        """The stored bytes of ``digest``, read with the next :data:`READ_AHEAD` ones: those
        ``upcoming`` names (the hashes needed next), else the next in the last run's order."""
        store = self.open()
        if store is None:
            return None
        start = self.position.get(digest)
        if digest not in self.ahead:
            if len(self.ahead) > 4 * READ_AHEAD:
                self.ahead.clear()
            if upcoming is not None:
                wanted = [digest, *itertools.islice(
                    (h for h in upcoming if h not in self.ahead), READ_AHEAD - 1)]
            elif start is None:
                wanted = [digest]
            else:
                wanted = [digest] + [
                    self.order[i] for i in range(start + 1,
                                                 min(start + READ_AHEAD, len(self.order)))
                    if not self.used[i] and self.order[i] not in self.ahead]
            self.ahead.update(store.blobs(wanted))
        if start is not None:
            self.used[start] = 1
        return self.ahead.pop(digest, None)

    def navigation(self, url: str, digest: str,
                   upcoming: Iterable[tuple[str, str]] = ()) -> DocumentNavigation | None:
        """What the crawl kept of navigating the document page ``url`` with body ``digest``
        (spiders/navigation.py), read with those of the ``upcoming`` (URL, hash) pairs."""
        store = self.open()
        if store is None:
            return None
        key = navigation_key(url, digest)
        if key not in self.navigations:
            if len(self.navigations) > 4 * READ_AHEAD:
                self.navigations.clear()
            keys = [key, *itertools.islice(
                (k for k in (navigation_key(u, h) for u, h in upcoming)
                 if k not in self.navigations), READ_AHEAD - 1)]
            found = store.cached_parses(keys)
            for wanted in keys:
                self.navigations[wanted] = DocumentNavigation.from_json(found[wanted]) \
                    if wanted in found else None
        return self.navigations.pop(key, None)

    def open(self) -> Store | None:
        """The store, opened on first use (None without one)."""
        if self.store is None and self.db_path is not None:
            self.store = Store(self.db_path)
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
