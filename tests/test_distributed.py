"""Campaigns through Redis with real workers (separate processes), a real redis-server and
PostgreSQL: the results of a local ``scan --all``, one crawler per site at a time, a worker
killed mid-site and Redis restarted mid-campaign losing nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.demo.sitegen import build_large_site
from auditor.devserver import SiteHandler, serve_site
from auditor.store import Store
from auditor.worker import status

SITES = ("alpha", "beta", "gamma")
DELAY = 0.1

#: (port, monotonic time, path) of every request the test servers answered
REQUESTS: list[tuple[int, float, str]] = []
_lock = threading.Lock()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Three generated sites, each on its own port, with every request logged."""
    original = SiteHandler.handle_request

    def logged(self, head: bool = False) -> None:
        with _lock:
            REQUESTS.append((self.server.server_port, time.monotonic(), self.path))
        original(self, head)

    SiteHandler.handle_request = logged
    root = tmp_path_factory.mktemp("sites")
    with ExitStack() as stack:
        bases = {name: stack.enter_context(serve_site(build_large_site(
            root / name, documents=12 + 4 * i, per_page=6))) for i, name in enumerate(SITES)}
        yield root, bases
    SiteHandler.handle_request = original


def inventory(folder: Path, bases: dict[str, str], delay: float = DELAY) -> str:
    path = folder / "auditor.toml"
    path.write_text("".join(f'''
[[sites]]
id = "{name}"
name = "{name} 县人民政府"
unit_type = "政府"
urls = ["{base}/"]
delay = {delay}
max_pages = 500
''' for name, base in bases.items()), "utf-8")
    return str(path)


def worker(queue: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", "worker", "--queue", queue,
                             "--heartbeat-timeout", "2", "--lease", "2", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(*workers: subprocess.Popen, timeout: float = 120) -> list[str]:
    logs = []
    for process in workers:
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
            pytest.fail(f"worker did not finish: {err[-2000:]}")
        logs.append(err)
        assert process.returncode in (0, -9), err[-2000:]
    return logs


def findings_by_site(db: str) -> dict[str, list[tuple]]:
    out = {}
    with Store(db) as store:
        for run in store.runs():
            out.setdefault(run.site, []).append(sorted(
                (f["rule"], f["status"], f["fingerprint"], f["message"])
                for f in store.findings(run.id)))
    return out


def pages_by_site(db: str) -> dict[str, list[tuple]]:
    with Store(db) as store:
        return {run.site: sorted((p.url, p.outcome, p.hash) for p in store.pages(run.id))
                for run in store.runs()}


@pytest.fixture(scope="module")
def local_scan(served, tmp_path_factory):
    """The reference: the inventory scanned by one process, ``scan --all``, into SQLite."""
    _, bases = served
    folder = tmp_path_factory.mktemp("local")
    db = str(folder / "local.db")
    assert main(["scan", "--all", "--config", inventory(folder, bases, delay=0), "--db", db,
                 "--format", "json", "--quiet", "--exit-zero"]) == 0
    return findings_by_site(db), pages_by_site(db)


def test_two_workers_give_the_local_results_one_crawler_per_site(served, local_scan,
                                                                  redis_url, pg_url, tmp_path,
                                                                  capsys):
    _, bases = served
    config = inventory(tmp_path, bases)
    assert main(["scan", "--all", "--config", config, "--db", pg_url, "--queue",
                 redis_url]) == 0
    # a second campaign while the first is unfinished is refused (exit 3, like the lock)
    assert main(["scan", "--all", "--config", config, "--db", pg_url, "--queue",
                 redis_url]) == 3
    REQUESTS.clear()
    logs = finish(worker(redis_url), worker(redis_url))
    state = status(redis_url)
    assert state["sites"] == {"queued": 0, "crawling": 0, "done": 3, "failed": 0}, logs
    assert state["messages"] == 0
    found = findings_by_site(pg_url)
    assert found == {site: runs for site, runs in local_scan[0].items()}
    assert pages_by_site(pg_url) == local_scan[1]
    # both workers worked, and each site was crawled by one of them at a time, never faster
    # than its delay (Scrapy spaces requests 0.5–1.5 × the delay, at random)
    assert all("队列已空" in log for log in logs), logs
    for base in bases.values():
        port = int(base.rsplit(":", 1)[1])
        times = sorted(t for p, t, _ in REQUESTS if p == port)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert len(times) > 10 and min(gaps) >= 0.5 * DELAY * 0.9
        assert sum(gaps) / len(gaps) >= DELAY * 0.8
    capsys.readouterr()
    assert main(["status", "--queue", redis_url]) == 0
    out = capsys.readouterr().out
    assert "完成 3" in out and "失败 0" in out


def _crawler_processes(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if "auditor.spiders.runner" in cmdline and marker in cmdline:
                found.append(int(entry.name))
    return found


def test_a_worker_killed_mid_site_loses_nothing(served, local_scan, redis_url, pg_url,
                                                tmp_path):
    _, bases = served
    config = inventory(tmp_path, {"gamma": bases["gamma"]}, delay=0.2)
    assert main(["scan", "--all", "--config", config, "--db", pg_url, "--queue",
                 redis_url]) == 0
    first = worker(redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        site = status(redis_url)["site_states"]["gamma"]
        if site["state"] == "crawling" and site["pages"] >= 6:
            break
        time.sleep(0.2)
    else:
        first.kill()
        pytest.fail("the site was not being crawled")
    campaign = status(redis_url)["campaign"]
    assert _crawler_processes(campaign)
    first.send_signal(signal.SIGKILL)
    first.wait()
    time.sleep(0.5)
    assert _crawler_processes(campaign) == []  # its crawler died with it
    with Store(pg_url) as store:
        run = store.runs()[0]
        kept = len(store.pages(run.id))
    assert run.status == "running" and kept >= 6
    logs = finish(worker(redis_url))
    state = status(redis_url)
    site = state["site_states"]["gamma"]
    assert site["state"] == "done" and site["attempts"] == 2, logs
    with Store(pg_url) as store:
        runs = store.runs()
        assert [r.id for r in runs] == [run.id]  # resumed, not redone
        pages = store.pages(run.id)
        assert runs[0].status == "finished"
    assert len({p.url for p in pages}) == len(pages)
    assert pages_by_site(pg_url)["gamma"] == local_scan[1]["gamma"]
    assert findings_by_site(pg_url)["gamma"] == local_scan[0]["gamma"]


def test_redis_restarting_mid_campaign_loses_nothing(served, local_scan, redis_service,
                                                     redis_url, pg_url, tmp_path):
    _, bases = served
    config = inventory(tmp_path, bases)
    assert main(["scan", "--all", "--config", config, "--db", pg_url, "--queue",
                 redis_url]) == 0
    running = [worker(redis_url), worker(redis_url)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = status(redis_url)["site_states"].values()
        if any(s["state"] == "done" for s in states) and \
                any(s["state"] == "crawling" and s["pages"] >= 5 for s in states):
            break
        time.sleep(0.2)
    redis_service.restart(down_for=2.0)
    logs = finish(*running)
    assert any("Redis" in log for log in logs)  # they noticed, waited and went on
    state = status(redis_url)
    assert state["sites"]["done"] == 3, logs
    with Store(pg_url) as store:
        assert sorted(r.site for r in store.runs()) == sorted(SITES)  # one run each
    assert findings_by_site(pg_url) == local_scan[0]
    assert pages_by_site(pg_url) == local_scan[1]


def test_status_of_a_queue_without_campaign_is_one_line(redis_url, capsys):
    assert main(["status", "--queue", redis_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "没有任务" in err


@pytest.mark.parametrize("command", (["worker"], ["status"], ["scan", "--all"]))
def test_a_bad_queue_url_is_one_line(command, tmp_path, capsys):
    config = tmp_path / "auditor.toml"
    config.write_text('[[sites]]\nid = "a"\nname = "a"\nurls = ["http://127.0.0.1:9/"]\n',
                      "utf-8")
    extra = ["--config", str(config), "--db", str(tmp_path / "x.db")] if "scan" in command \
        else []
    assert main([*command, "--queue", "http://not-redis/0", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不是 Redis 地址" in err


def test_json_status(served, redis_url, pg_url, tmp_path, capsys):
    _, bases = served
    config = inventory(tmp_path, bases)
    assert main(["scan", "--site", "alpha", "--config", config, "--db", pg_url, "--queue",
                 redis_url]) == 0
    capsys.readouterr()
    assert main(["status", "--queue", redis_url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sites"]["queued"] == 1 and list(data["site_states"]) == ["alpha"]
    assert os.environ.get("ZWGK_NEVER_SET") is None
