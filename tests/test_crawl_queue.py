"""The crawl's waiting-request directories: a crawl killed outright leaves its directory behind;
the next crawl removes those whose process is gone, and only those."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from auditor.spiders.runner import QUEUE_PREFIX, sweep_orphan_queues


def test_orphaned_queue_directories_are_swept_live_ones_kept():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    tmp = Path(tempfile.gettempdir())
    orphan = Path(tempfile.mkdtemp(prefix=f"{QUEUE_PREFIX}{dead.pid}-", dir=tmp))
    (orphan / "requests.queue").mkdir()
    live = Path(tempfile.mkdtemp(prefix=f"{QUEUE_PREFIX}{os.getpid()}-", dir=tmp))
    unnamed = Path(tempfile.mkdtemp(prefix=f"{QUEUE_PREFIX}x", dir=tmp))
    try:
        sweep_orphan_queues()
        assert not orphan.exists()
        assert live.exists() and unnamed.exists()
    finally:
        for path in (live, unnamed):
            path.rmdir()
