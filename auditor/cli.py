"""The ``auditor`` command line. Exit codes: 0 ok, 1 findings (later commands), 2 error."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import Config, ConfigError, config_from_dict, load_config
from .fetch import FetchError, read_target
from .findings import Severity
from .store import StoreError, store_exists
from .timefmt import local_day, local_time
from .timefmt import today as china_today
from .vocabulary import unit_type_key

if TYPE_CHECKING:
    from .site_audit import ParseCacheWarmer

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def exit_code(result, fail_on=None) -> int:
    """:func:`auditor.audit.exit_code` (imported when needed: ``auditor scan`` starts its crawl
    before the audit's modules are imported, and imports them while it runs)."""
    from .audit import exit_code as of_result

    return of_result(result, fail_on)


#: argparse's own messages, in the language of every other message of the tool.
_ARGPARSE_MESSAGES = (
    (re.compile(r"argument (.+?): invalid int value: (.+)"), r"参数 \1：\2 不是整数"),
    (re.compile(r"argument (.+?): invalid float value: (.+)"), r"参数 \1：\2 不是数字"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"),
     r"参数 \1：没有 \2 这一项（可选：\3）"),
    (re.compile(r"argument (.+?): expected one argument"), r"参数 \1 需要一个值"),
    (re.compile(r"argument (.+?): expected at least one argument"), r"参数 \1 至少需要一个值"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), r"参数 \1 不能与 \2 同时使用"),
    (re.compile(r"argument (.+?): ignored explicit argument (.+)"), r"参数 \1 不接受值 \2"),
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), r"选项 \1 不明确，可能是：\2"),
)


def _in_chinese(message: str) -> str:
    for pattern, chinese in _ARGPARSE_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(chinese, message)
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, like every other error
        raise UsageError(f"{self.prog}：{_in_chinese(message)}")


def as_of_date(value: str):
    """``--as-of YYYY-MM-DD``: the 检查基准日 every "now"-relative rule judges against."""
    from .engine import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} 不是日期（应为 YYYY-MM-DD）") from None


def unit_type_arg(value: str) -> str:
    """``--unit-type``: 部门 / 政府 / 乡镇 / 街道 / 其他 (or department / government / township /
    other), as the inventory writes it."""
    try:
        return unit_type_key(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


UNIT_TYPE_HELP = ("单位类型 (the body's type, which decides the report deadline): 部门 (1月31日), "
                  "政府 (本级人民政府, 3月31日), 乡镇/街道/其他 (configurable, default 1月31日); "
                  "English department/government/township/other also accepted")


AS_OF_HELP = ("检查基准日 (as-of date) the time-relative rules judge against: column and home "
              "page freshness, report deadlines, 互动回应")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="auditor", description="政府信息公开 auditor: parse and audit "
                     "government annual reports and websites.")
    parser.add_argument("--version", action="version", version=f"zwgk-auditor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parse = commands.add_parser("parse", help="parse an annual report and print the model")
    parse.add_argument("target", metavar="FILE|URL")
    parse.add_argument("--format", choices=("json", "human"), default="json")
    parse.add_argument("--no-provenance", action="store_true",
                       help="leave per-cell provenance out of the JSON")

    check = commands.add_parser("check", help="audit an annual report against the rules")
    check.add_argument("target", metavar="FILE|URL")
    check.add_argument("--previous", metavar="FILE|URL",
                       help="the same body's report for the previous year (cross-year rules)")
    check.add_argument("--published", metavar="YYYY-MM-DD",
                       help="the date the report was published, when the page does not say")
    check.add_argument("--unit-type", type=unit_type_arg, metavar="部门|政府|乡镇|街道|其他",
                       help=UNIT_TYPE_HELP + "; inferred from the issuer if omitted")
    check.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                       help=AS_OF_HELP + " (default today)")
    add_output_options(check)

    scan = commands.add_parser("scan", help="crawl a government site and audit it")
    scan.add_argument("url", metavar="URL", nargs="?", help="the site root or a column URL")
    scan.add_argument("--all", action="store_true",
                      help="scan every [[sites]] entry of the inventory (auditor.toml)")
    scan.add_argument("--site", action="append", metavar="ID",
                      help="scan this inventory site (repeatable)")
    scan.add_argument("--resume", type=int, metavar="RUN_ID",
                      help="continue an interrupted run, skipping pages already fetched")
    scan.add_argument("--parallel", type=int, default=2,
                      help="sites scanned at the same time with --all (default 2)")
    scan.add_argument("--full", action="store_true",
                      help="fetch every page in full (default: ask the site whether pages "
                           "stored by the last finished run changed, ETag / Last-Modified)")
    scan.add_argument("--no-replay", action="store_true",
                      help="navigate the site again even when every page is unchanged "
                           "(default: then keep the last crawl's pages, re-audited)")
    scan.add_argument("--queue", metavar="REDIS_URL",
                      help="with --all/--site: put the sites on this Redis queue for "
                           "`auditor worker` processes (any number, any machine) instead of "
                           "scanning them here")
    scan.add_argument("--db", metavar="FILE|URL", help="the store: a SQLite file (default: "
                      "the user data directory, or $ZWGK_AUDITOR_DB) or postgresql://…")
    scan.add_argument("--max-pages", type=int, default=2000, help="page budget (default 2000)")
    scan.add_argument("--max-time", type=float, default=3600.0, metavar="SECONDS",
                      help="wall-clock bound of the crawl (default 3600); what is left is "
                           "reported as not assessable")
    scan.add_argument("--max-depth", type=int, default=6, help="link depth (default 6)")
    scan.add_argument("--delay", type=float, default=1.0,
                      help="seconds between requests to the site (default 1.0)")
    scan.add_argument("--concurrency", type=int, default=2, choices=(1, 2),
                      help="parallel requests to the site (1 or 2; default 2)")
    scan.add_argument("--timeout", type=float, default=20.0, help="seconds per request")
    scan.add_argument("--domain", action="append", metavar="HOST",
                      help="another host the crawl may follow (default: the URL's host only)")
    scan.add_argument("--unit-type", type=unit_type_arg, metavar="部门|政府|乡镇|街道|其他",
                      help=UNIT_TYPE_HELP + " of the body running the site")
    scan.add_argument("--quiet", action="store_true", help="no progress display")
    scan.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                      help=AS_OF_HELP + " (default: the day of the crawl, China time)")
    add_output_options(scan)

    audit = commands.add_parser("audit", help="re-audit a stored run offline with the current "
                                "rules")
    audit.add_argument("run_id", type=int, metavar="RUN_ID")
    audit.add_argument("--db", metavar="FILE")
    audit.add_argument("--unit-type", type=unit_type_arg, metavar="部门|政府|乡镇|街道|其他",
                       help=UNIT_TYPE_HELP)
    audit.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                       help=AS_OF_HELP + " (default: the day the run was crawled, China time, "
                       "so a stored run re-audits the same way)")
    add_output_options(audit)

    demo = commands.add_parser("demo", help="serve the bundled sample site on 127.0.0.1 and "
                               "scan it (offline)")
    demo.add_argument("--db", metavar="FILE", help="keep the run in this database (default: a "
                      "temporary one)")
    demo.add_argument("--format", choices=("human", "json", "csv", "sarif"), default="human")
    demo.add_argument("--output", "-o", metavar="FILE")
    demo.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                      help=AS_OF_HELP + " (default today)")

    runs = commands.add_parser("runs", help="list stored runs")
    runs.add_argument("--db", metavar="FILE")

    history = commands.add_parser("history", help="runs of a site over time, with findings new "
                                  "/ still open / fixed")
    history.add_argument("site", nargs="?", metavar="SITE")
    history.add_argument("--db", metavar="FILE")

    diff = commands.add_parser("diff", help="compare two runs of a site: new, still open, fixed, "
                               "waived; documents edited or removed after publication")
    diff.add_argument("run_a", nargs="?", type=int, metavar="RUN_A")
    diff.add_argument("run_b", nargs="?", type=int, metavar="RUN_B")
    diff.add_argument("--site", metavar="SITE", help="the site's last two runs")
    diff.add_argument("--db", metavar="FILE")
    diff.add_argument("--format", choices=("human", "json"), default="human")

    report = commands.add_parser("report", help="整改清单 (Excel) or a printable HTML report of "
                                 "the latest runs")
    report.add_argument("--format", choices=("xlsx", "html"), default="xlsx")
    report.add_argument("--output", "-o", metavar="FILE", required=True)
    report.add_argument("--site", action="append", metavar="ID",
                        help="only these sites (default: every site of the inventory, else of "
                             "the database)")
    report.add_argument("--notice-date", metavar="YYYY-MM-DD",
                        help="date of the 整改通知 (default today); 整改期限 counts from it")
    report.add_argument("--days", type=int, help="整改期限 in working days (default: "
                        "rectification_days of the config, 10)")
    report.add_argument("--db", metavar="FILE")
    report.add_argument("--config", metavar="FILE")

    score = commands.add_parser("score", help="the 检查指标 score of a stored run: 单项否决 items "
                                "and 扣分 items, each deduction traced to its finding")
    score.add_argument("run_id", nargs="?", type=int, metavar="RUN_ID")
    score.add_argument("--site", metavar="ID", help="the site's latest run (instead of RUN_ID)")
    score.add_argument("--db", metavar="FILE")
    score.add_argument("--config", metavar="FILE", help="auditor.toml with the [score] amounts")
    score.add_argument("--format", choices=("human", "json"), default="human")
    score.add_argument("--output", "-o", metavar="FILE")

    worker = commands.add_parser("worker", help="scan sites taken from a Redis queue until it "
                                 "is empty (see scan --all --queue)")
    worker.add_argument("--queue", metavar="REDIS_URL", required=True)
    worker.add_argument("--db", metavar="FILE|URL",
                        help="the store to write (default: the one the campaign names)")
    worker.add_argument("--threads", type=int, default=1,
                        help="sites scanned at the same time by this worker (default 1)")
    worker.add_argument("--wait", action="store_true",
                        help="keep waiting for work when the queue is empty")
    worker.add_argument("--heartbeat-timeout", type=float, default=60.0, metavar="S",
                        help="a worker silent this long is dead: its site goes to another "
                             "(default 60)")
    worker.add_argument("--lease", type=float, default=30.0, metavar="S",
                        help="how long a dead worker's hold on a site's host lasts "
                             "(default 30)")

    status = commands.add_parser("status", help="a queued campaign: sites queued / crawling "
                                 "/ done / failed, pages, findings")
    status.add_argument("--queue", metavar="REDIS_URL", required=True)
    status.add_argument("--campaign", metavar="ID", help="default: the latest")
    status.add_argument("--format", choices=("human", "json"), default="human")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("human", "json"), default="human")
    rule = commands.add_parser("rule", help="print one rule's documentation")
    rule.add_argument("code", metavar="CODE|NAME")
    return parser


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("human", "json", "csv", "sarif"), default="human")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--config", metavar="FILE", help="auditor.toml to use (default: found "
                        "upward from the working directory)")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="only these rules (codes, names or families, comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules")
    parser.add_argument("--fail-on", choices=[s.value for s in Severity],
                        help="exit 1 when a violation at or above this severity remains "
                             "(default high)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when there are findings (for rollout)")


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def effective_config(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    changes = {}
    if args.select:
        changes["select"] = _split(args.select)
    if args.ignore:
        changes["ignore"] = config.ignore + _split(args.ignore)
    if args.fail_on:
        changes["fail_on"] = Severity(args.fail_on)
    if changes:
        data = {**config.raw, **{k: (str(v) if k == "fail_on" else v) for k, v in changes.items()}}
        config = config_from_dict(data, config.path)
    return config


def write_output(text: str, output: str | None) -> None:
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as exc:
            raise FetchError(f"{output}：无法写入（{exc.strerror or exc}）") from None
    else:
        sys.stdout.write(text)


def cmd_check(args: argparse.Namespace) -> int:
    from .audit import check
    from .reports import render

    config = effective_config(args)
    try:
        result = check(args.target, previous=args.previous, published=args.published,
                       unit_type=args.unit_type, config=config, today=args.as_of)
    except ValueError as exc:  # a bad --published date
        raise UsageError(f"auditor check: {exc}") from None
    write_output(render(result, args.format), args.output)
    for hint in check_hints(result):
        print(f"auditor: 提示：{hint}", file=sys.stderr)
    return EXIT_OK if args.exit_zero else exit_code(result, config.fail_on)


def check_hints(result) -> list[str]:
    """What the command line could add to a check (the library's messages name no flag)."""
    hints = []
    deadline = [f for f in result.findings if f.rule in ("TIME-01", "TIME-02", "TIME-03")]
    if any(f.evidence.get("published") is None and f.status == "not_assessable"
           for f in deadline) and not result.context.get("published"):
        hints.append("页面未给出发布日期时，可用 --published YYYY-MM-DD 指定。")
    if deadline and result.context.get("unit_type_source") == "inferred":
        hints.append("单位类型据报告机关名称推断；可用 --unit-type 部门|政府|乡镇|街道|其他 指定。")
    if result.coverage.get("rules_skipped_without_previous"):
        hints.append("可用 --previous 文件或网址 提供上年报告，运行跨年度规则（XY）。")
    return hints


def _progress(stream):
    def show(counts: dict[str, int]) -> None:
        if counts.get("of") and not counts.get("pages"):  # a re-scan's revalidation pass
            stream.write(f"\r复核中：已询问 {counts.get('asked', 0)}/{counts['of']} 个页面是否更新"
                         f"（未变 {counts.get('unchanged', 0)}）  ")
            stream.flush()
            return
        stream.write(f"\r抓取中：页面 {counts.get('pages', 0)} 个（成功 {counts.get('ok', 0)}，"
                     f"错误/受阻 {counts.get('errors', 0)}），文件 {counts.get('documents', 0)} 篇，"
                     f"栏目 {counts.get('columns', 0)} 个  ")
        stream.flush()
    return show


EXIT_LOCKED = 3


def cmd_scan(args: argparse.Namespace) -> int:
    if args.all or args.site:
        return cmd_scan_inventory(args)
    if args.resume and not args.url:
        return cmd_scan_resume(args)
    if not args.url:
        raise UsageError("auditor scan：请给出网址、--all、--site 站点编号或 --resume 运行编号")
    return cmd_scan_url(args)


def cmd_scan_inventory(args: argparse.Namespace) -> int:
    from .inventory import scan_all
    from .lock import LockHeld, RunLock
    from .reports import render
    from .scan import db_path

    config = effective_config(args)
    if not config.sites:
        raise UsageError(f"auditor scan：{config.path or 'auditor.toml'} 中没有 [[sites]] 站点清单")
    sites = config.sites
    if args.site:
        unknown = [s for s in args.site if config.site(s) is None]
        if unknown:
            raise UsageError(f"auditor scan：{config.path} 中没有站点 {unknown[0]!r}")
        sites = [config.site(s) for s in args.site]
    if args.queue:
        return cmd_enqueue(args, config, sites)
    path = db_path(args.db)
    try:
        with RunLock(path):
            def done(outcome) -> None:
                counts = outcome.result.counts() if outcome.result else {}
                state = f"失败：{outcome.error}" if outcome.error else (
                    f"违规 {counts.get('violation', 0)}，需复核 {counts.get('needs_review', 0)}，"
                    f"无法评估 {counts.get('not_assessable', 0)}")
                print(f"auditor: {outcome.site.id}（{outcome.site.name}）运行编号 {outcome.run_id}："
                      f"{state}", file=sys.stderr)

            outcomes = scan_all(config, path, sites=sites, parallel=args.parallel, on_done=done,
                                today=args.as_of, conditional=not args.full,
                                replay=not args.no_replay)
    except LockHeld as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    texts = []
    for outcome in outcomes:
        if outcome.result is not None:
            header = f"===== {outcome.site.id}  {outcome.site.name} =====\n"
            texts.append((header if args.format == "human" else "")
                         + render(outcome.result, args.format))
    if args.format == "json":
        import json as _json

        merged = {"sites": [{"site": o.site.id, "name": o.site.name, "run_id": o.run_id,
                             "error": o.error,
                             "result": o.result.to_dict() if o.result else None}
                            for o in outcomes]}
        write_output(_json.dumps(merged, ensure_ascii=False, indent=2, default=str) + "\n",
                     args.output)
    else:
        write_output("\n".join(texts), args.output)
    if any(o.error for o in outcomes):
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    return max((exit_code(o.result, config.fail_on) for o in outcomes if o.result), default=0)


def cmd_enqueue(args: argparse.Namespace, config: Config, sites) -> int:
    from .campaign import CampaignUnfinished, QueueError
    from .store import Store, display_name
    from .worker import db_for_campaign, enqueue

    db = db_for_campaign(args.db)
    with Store(db):
        pass  # fail early, with its name, if the workers could not open it either
    try:
        campaign = enqueue(args.queue, config, db, [s.id for s in sites])
    except QueueError as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_LOCKED if isinstance(exc, CampaignUnfinished) else EXIT_ERROR
    print(f"auditor：任务 {campaign.id}：{len(sites)} 个站点已排入 {args.queue}"
          f"（数据库 {display_name(db)}）；启动工作进程：auditor worker --queue {args.queue}；"
          f"查看进度：auditor status --queue {args.queue}", file=sys.stderr)
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from .campaign import QueueError
    from .scan import db_path
    from .worker import run_worker

    try:
        run_worker(args.queue, db=db_path(args.db) if args.db else None,
                   threads=max(1, args.threads), wait=args.wait,
                   heartbeat_timeout=max(args.heartbeat_timeout, 1.0),
                   lease_ttl=max(args.lease, 1.0))
    except QueueError as exc:
        raise FetchError(str(exc)) from None
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from .campaign import SITE_STATE_CN, QueueError
    from .worker import status

    try:
        data = status(args.queue, args.campaign)
    except QueueError as exc:
        raise FetchError(str(exc)) from None
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    counts, findings = data["sites"], data["findings"]
    sys.stdout.write(
        f"任务 {data['campaign']}（创建于 {local_time(data['created'])}，数据库 {data['db']}）\n"
        f"站点：排队 {counts['queued']}，抓取中 {counts['crawling']}，完成 "
        f"{counts['done']}，失败 {counts['failed']}；页面 {data['pages']} 个；问题："
        f"违规 {findings.get('violation', 0)}，需复核 {findings.get('needs_review', 0)}，"
        f"无法评估 {findings.get('not_assessable', 0)}；队列中消息 "
        f"{data['messages']} 条\n")
    for site_id, state in data["site_states"].items():
        found = state["findings"]
        line = (f"  {site_id[:24]:<24} {SITE_STATE_CN.get(state['state'], state['state']):<4} "
                f"运行编号 {state['run_id'] or '-':<6} "
                f"{state['pages']:>6} 页  违规 {found.get('violation', 0)}")
        if state["worker"] and state["state"] == "crawling":
            line += f"  工作进程 {state['worker']}"
        if state["attempts"] > 1:
            line += f"  第 {state['attempts']} 次尝试"
        if state["error"]:
            line += f"  {state['error'][:120]}"
        sys.stdout.write(line + "\n")
    return EXIT_OK


def cmd_scan_resume(args: argparse.Namespace) -> int:
    from .inventory import scan_site
    from .reports import render
    from .scan import CrawlError, CrawlOptions, crawl, db_path
    from .site_audit import audit_run
    from .store import Store

    config = effective_config(args)
    path = db_path(args.db)
    with Store(path) as store:
        run = store.run(args.resume)
    if run is None:
        raise FetchError(f"{path}：没有可续抓的运行编号 {args.resume}")
    site = config.site(run.site)
    try:
        if site is not None:
            outcome = scan_site(site, config, path, resume_run=run.id, today=args.as_of)
            result, error = outcome.result, outcome.error
        else:
            options = CrawlOptions(start_url=run.start_url, db_path=path, resume_run=run.id,
                                   **{k: v for k, v in run.options.items()
                                      if k in ("delay", "concurrency", "max_pages", "max_time",
                                               "max_depth", "timeout", "domains")})
            crawl(options)
            with Store(path) as store:
                result = audit_run(store, run.id, config=config, unit_type=args.unit_type,
                                   today=args.as_of)
                resumed = store.run(run.id)
            error = (f"{run.start_url}：站点无法访问（{resumed.stats.get('failure')}）"
                     if resumed and resumed.status == "failed" else None)
    except CrawlError as exc:
        raise FetchError(str(exc)) from None
    if result is not None:
        write_output(render(result, args.format), args.output)
    if error:
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK if args.exit_zero else exit_code(result, config.fail_on)


def cmd_scan_url(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from .scan import CrawlError, CrawlOptions, crawl, db_path, site_name
    from .store import Store

    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"auditor scan：{args.url} 不是 http(s) 网址")
    config = effective_config(args)
    path = db_path(args.db)
    with Store(path):
        pass  # fail early, with the file name, if the database cannot be opened
    options = CrawlOptions(
        start_url=args.url, db_path=path, delay=max(args.delay, 0.0),
        concurrency=args.concurrency, max_pages=max(args.max_pages, 1),
        max_time=max(args.max_time, 10.0),
        max_depth=max(args.max_depth, 1), timeout=max(args.timeout, 1.0),
        domains=[site_name(args.url)] + [d.lower() for d in args.domain or []],
        conditional=not args.full, replay=not args.no_replay)
    show = None if args.quiet or not sys.stderr.isatty() else _progress(sys.stderr)
    failure = None
    warm = _ParseCacheWarming()
    try:
        run_id = crawl(options, progress=show, between=warm)
    except CrawlError as exc:
        if exc.run_id is None:
            raise FetchError(str(exc)) from None
        failure, run_id = exc, exc.run_id
    from .reports import render
    from .site_audit import audit_run

    if show:
        sys.stderr.write("\n")
    if show:
        sys.stderr.write("审计中：读取文件日期、年度报告并运行规则…\r")
    with Store(path) as store:
        result = audit_run(store, run_id, config=config, unit_type=args.unit_type,
                           today=args.as_of, warmed=warm.warmer(run_id))
    if show:
        counts = result.counts()
        sys.stderr.write(f"完成：页面 {result.coverage.get('pages_total', 0)} 个，发现违规 "
                         f"{counts['violation']} 项、需复核 {counts['needs_review']} 项、无法评估 "
                         f"{counts['not_assessable']} 项\n")
    write_output(render(result, args.format), args.output)
    print(f"auditor：运行编号 {run_id} 已存入 {path}（重新审计：auditor audit {run_id} --db {path}）",
          file=sys.stderr)
    if failure:
        print(f"auditor: {failure}", file=sys.stderr)
        return EXIT_ERROR
    if not result.coverage.get("pages_fetched"):
        with Store(path) as store:
            home = next((p for p in store.pages(run_id) if p.kind == "home"), None)
        why = (home.error if home else None) or "未能抓取到任何页面"
        print(f"auditor：{args.url}：站点无法访问（{why}）", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK if args.exit_zero else exit_code(result, config.fail_on)


class _ParseCacheWarming:
    """Reads the documents stored so far while the crawl goes on (the audit then finds them
    read): ``crawl(between=…)``. :meth:`warmer` hands the audit what was read. Its first call,
    as the crawl starts, imports the audit's modules (a third of a second of CPU: this process
    has nothing else to do while the crawl process starts, or while the pass waits on the
    site)."""

    def __init__(self) -> None:
        self._warmers: dict[int, ParseCacheWarmer | None] = {}

    def __call__(self, store, run_id: int) -> None:
        import time

        from . import reports  # noqa: F401 - see the docstring
        from .site_audit import ParseCacheWarmer

        if run_id not in self._warmers:
            self._warmers[run_id] = ParseCacheWarmer(store, run_id)
        warmer = self._warmers[run_id]
        if warmer is None:
            return
        until = time.monotonic() + 0.5  # the display moves on; the crawl's end is seen soon
        try:
            while warmer.step() == warmer.batch and time.monotonic() < until:
                pass
        except Exception as exc:  # noqa: BLE001 - only a head start: the audit reads it all
            self._warmers[run_id] = None
            print(f"auditor：抓取期间的预读已停止（{exc}）；审计时将重新读取", file=sys.stderr)

    def warmer(self, run_id: int) -> ParseCacheWarmer | None:
        """What was read of ``run_id`` (None: nothing, or the warming stopped)."""
        return self._warmers.get(run_id)


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from .demo.sitegen import build_demo_site
    from .devserver import serve_site
    from .reports import render
    from .scan import CrawlOptions, crawl
    from .site_audit import audit_run
    from .store import Store

    with tempfile.TemporaryDirectory(prefix="zwgk-demo-") as tmp:
        site = build_demo_site(Path(tmp) / "site")
        path = args.db or str(Path(tmp) / "demo.db")
        print(f"auditor：在 127.0.0.1 上运行演示站点（{site}）并抓取检查…",
              file=sys.stderr)
        with serve_site(site) as base:
            run_id = crawl(CrawlOptions(start_url=base + "/", db_path=path, delay=0.0,
                                        timeout=10.0, max_pages=500))
        with Store(path) as store:
            result = audit_run(store, run_id, config=load_config(None, discover=False),
                               today=args.as_of)
        write_output(render(result, args.format), args.output)
        print("auditor：演示站点预设的问题列于 auditor/demo/sitegen.py（PLANTED）"
              + (f"；运行编号 {run_id} 保存在 {path}" if args.db else ""), file=sys.stderr)
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from .reports import render
    from .scan import db_path
    from .site_audit import audit_run
    from .store import Store

    config = effective_config(args)
    path = db_path(args.db)
    if not store_exists(path):
        raise FetchError(f"{path}：数据库不存在")
    with Store(path) as store:
        if store.run(args.run_id) is None:
            raise FetchError(f"{path}：没有运行编号 {args.run_id}（见 auditor runs）")
        result = audit_run(store, args.run_id, config=config, unit_type=args.unit_type,
                           today=args.as_of)
    write_output(render(result, args.format), args.output)
    return EXIT_OK if args.exit_zero else exit_code(result, config.fail_on)


def _open_db(value: str | None):
    from .scan import db_path
    from .store import Store

    path = db_path(value)
    if not store_exists(path):
        raise FetchError(f"{path}：数据库不存在")
    return Store(path)


def cmd_history(args: argparse.Namespace) -> int:
    from .history import Fingerprints, compare, previous_run
    from .runstatus import effective, failure_of, site_run_numbers

    with _open_db(args.db) as store:
        runs = store.runs(args.site)
        if not runs:
            raise FetchError(f"{store.path}: no runs" + (f" of site {args.site!r}" if args.site
                                                          else ""))
        fingerprints = Fingerprints(store)
        numbers: dict[str, dict[int, int]] = {}
        sys.stdout.write("运行编号 次  日期        站点                 抓取状态     违规 需复核 无法评估  "
                         "新发现 仍未整改 已整改 未能复查  新增无法评估 仍无法评估 已可评估  对比\n")
        for run in runs:
            run = effective(store, run)
            if run.site not in numbers:
                numbers[run.site] = site_run_numbers(store, run.site)
            number = numbers[run.site]
            base = previous_run(store, run.id)
            tracked = compare(store, base.id if base else None, run.id,
                              fingerprints=fingerprints)
            life = {k: sum(1 for t in tracked if t.lifecycle == k)
                    for k in ("new", "open", "fixed", "unchecked", "na_new", "na_open",
                              "na_assessable")}
            now = [t for t in tracked if t.lifecycle in ("new", "open", "na_new", "na_open")]
            by = {s: str(sum(1 for t in now if t.finding["status"] == s))
                  for s in ("violation", "needs_review", "not_assessable")}
            if run.status == "failed":  # nothing was checked: no count, not zero
                by["violation"] = by["needs_review"] = "-"
            against = (f"第{number.get(base.id)}次(#{base.id})" if base else "—")
            between = [r for r in runs if r.site == run.site and
                       (base.id if base else 0) < r.id < run.id]
            if between and base:
                against += "，跳过未访问到站点的 " + ",".join(f"#{r.id}" for r in between)
            if run.status == "failed":
                against += f"  未能访问站点：{failure_of(run)}"
            sys.stdout.write(
                f"{run.id:<6} {number.get(run.id, 0):>2}  {local_day(run.started_at)}  "
                f"{run.site[:20]:<20} {_short_status(run.status)} {by['violation']:>4} "
                f"{by['needs_review']:>6} {by['not_assessable']:>8}  {life['new']:>6} "
                f"{life['open']:>8} {life['fixed']:>6} {life['unchecked']:>8}  "
                f"{life['na_new']:>12} {life['na_open']:>10} {life['na_assessable']:>8}  "
                f"{against}\n")
    return EXIT_OK


_DIFF_ORDER = ("new", "open", "unchecked", "fixed", "waived", "na_new", "na_open",
               "na_assessable")


def cmd_diff(args: argparse.Namespace) -> int:
    from .history import (
        LIFECYCLE_CN,
        compare,
        document_changes,
        latest_run,
        previous_run,
        skipped_runs,
    )
    from .runstatus import effective, failure_of, run_label, saw_site, site_run_numbers

    notes: list[str] = []
    skipped = []
    with _open_db(args.db) as store:
        if args.run_a is not None and args.run_b is None:
            raise UsageError("auditor diff：请给出两个运行编号（RUN_A RUN_B）或 --site 站点编号")
        if args.run_a is None:
            sites = sorted({r.site for r in store.runs()})
            site = args.site or (sites[0] if len(sites) == 1 else None)
            if site is None:
                raise UsageError("auditor diff：数据库中有多个站点，请给出 --site 或"
                                 "两个运行编号")
            run_b = latest_run(store, site)
            run_a = previous_run(store, run_b.id) if run_b else None
            if run_a is None:
                if run_b is not None and len(store.runs(site)) > 1:
                    raise FetchError(f"{store.path}：站点 {site!r} 没有可供比较的、"
                                     "成功访问站点的上一次运行")
                raise FetchError(f"{store.path}：站点 {site!r} 的运行少于两次")
            skipped = skipped_runs(store, run_a, run_b)
        else:
            found = [store.run(run_id) for run_id in (args.run_a, args.run_b)]
            for run_id, run in zip((args.run_a, args.run_b), found, strict=True):
                if run is None:
                    raise FetchError(f"{store.path}：没有运行编号 {run_id}（见 auditor runs）")
            run_a, run_b = (effective(store, r) for r in found)
            if not saw_site(store, run_a):
                better = previous_run(store, run_b.id)
                notes.append(f"注意：运行 {run_a.id} 未能访问站点（{failure_of(run_a) or run_a.status}），"
                             "以它为基准时本次的问题都会显示为新发现"
                             + (f"；上次访问到站点的是运行 {better.id}（auditor diff {better.id} "
                                f"{run_b.id}）。" if better and better.id != run_a.id else "。"))
        a, b = run_a.id, run_b.id
        numbers = site_run_numbers(store, run_b.site)
        if skipped:
            notes.append("其间" + "、".join(f"{run_label(numbers.get(r.id), r.id)}" for r in skipped)
                         + "未能访问站点，不作为比较基准。")
        if run_b.status == "failed":
            notes.append(f"注意：本次抓取失败，未能访问站点（{failure_of(run_b)}）：上次发现的问题列为"
                         "“未能复查”，不能视为已整改。")
        tracked = compare(store, a, b)
        changes = document_changes(store, a, b)
    if args.format == "json":
        json.dump({"run_a": a, "run_b": b, "site": run_b.site,
                   "run_a_status": run_a.status, "run_b_status": run_b.status,
                   "run_b_failure": failure_of(run_b),
                   "site_run_a": numbers.get(a) if run_a.site == run_b.site else None,
                   "site_run_b": numbers.get(b), "skipped_runs": [r.id for r in skipped],
                   "notes": notes,
                   "lifecycle_counts": {k: sum(1 for t in tracked if t.lifecycle == k)
                                        for k in _DIFF_ORDER},
                   "findings": [{"lifecycle": t.lifecycle, "first_seen": t.first_seen,
                                 **t.finding} for t in tracked],
                   "documents": [c.__dict__ for c in changes]},
                  sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return EXIT_OK
    label_a = run_label(numbers.get(a) if run_a.site == run_b.site else None, a,
                        local_day(run_a.started_at), run_a.status)
    sys.stdout.write(f"对比：{label_a} → "
                     f"{run_label(numbers.get(b), b, local_day(run_b.started_at), run_b.status)}\n")
    for note in notes:
        sys.stdout.write(note + "\n")
    for state in _DIFF_ORDER:
        group = [t for t in tracked if t.lifecycle == state]
        sys.stdout.write(f"\n【{LIFECYCLE_CN[state]}】{len(group)} 项\n")
        for t in group:
            url = t.url or ""
            sys.stdout.write(f"  {t.rule} {t.finding['message']}\n    {url}（首次发现 "
                             f"{t.first_seen}）\n")
    edited = [c for c in changes if c.change == "edited"]
    gone = [c for c in changes if c.change == "disappeared"]
    sys.stdout.write(f"\n【发布后有变动】{len(edited)} 篇\n")
    for c in edited:
        sys.stdout.write(f"  {c.title or c.url}\n    {c.url}（正文指纹 {c.before} → {c.after}）\n")
    sys.stdout.write(f"\n【已不可访问或撤下】{len(gone)} 篇\n")
    for c in gone:
        sys.stdout.write(f"  {c.title or c.url}\n    {c.url}（{c.after}）\n")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:

    from .calendar import WorkCalendar
    from .engine import parse_date
    from .history import Fingerprints, latest_run, site_report

    config = load_config(args.config)
    try:
        notice = parse_date(args.notice_date) if args.notice_date else china_today()
    except ValueError as exc:
        raise UsageError(f"auditor report: --notice-date {exc}") from None
    days = args.days or config.rectification_days
    with _open_db(args.db) as store:
        wanted = args.site or [s.id for s in config.sites] or sorted({r.site for r in
                                                                      store.runs()})
        fingerprints = Fingerprints(store)
        reports = []
        parsed: dict = {}
        for site_id in wanted:
            run = latest_run(store, site_id)
            if run is None:
                print(f"auditor: 站点 {site_id} 尚无运行记录，已跳过", file=sys.stderr)
                continue
            site = config.site(site_id)
            reports.append(site_report(
                store, run.id, site_id=site_id, unit_name=site.name if site else None,
                unit_type=site.unit_type if site else None,
                site_code=site.site_code if site else None, fingerprints=fingerprints))
            if args.format == "html":  # the tables the findings are about, as printed
                from .reports.html_out import pictured_urls
                from .stored_reports import stored_reports

                parsed.update(stored_reports(store, run.id, pictured_urls(reports[-1])))
    if not reports:
        raise FetchError("没有可供生成报告的运行记录")
    if args.format == "xlsx":
        from .reports.xlsx_out import render_rectification_xlsx

        data = render_rectification_xlsx(reports, notice_date=notice, days=days,
                                          calendar=WorkCalendar(), score=config.score)
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise FetchError(f"{args.output}：无法写入（{exc.strerror or exc}）") from None
    else:
        from .reports.html_out import render_html

        write_output(render_html(reports, score=config.score, parsed=parsed), args.output)
    print(f"auditor: 已写入 {args.output}（{len(reports)} 个单位）", file=sys.stderr)
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from .history import latest_run
    from .reports.score_out import render_score_human, render_score_json
    from .score import scorecard_of_run

    if (args.run_id is None) == (args.site is None):
        raise UsageError("auditor score：请给出运行编号或 --site 站点编号（二者选一）")
    config = load_config(args.config)
    with _open_db(args.db) as store:
        if args.site:
            run = latest_run(store, args.site)
            if run is None:
                raise FetchError(f"{store.path}：站点 {args.site!r} 没有运行记录")
            run_id = run.id
        else:
            run_id = args.run_id
            if store.run(run_id) is None:
                raise FetchError(f"{store.path}：没有运行编号 {run_id}（见 auditor runs）")
        card = scorecard_of_run(store, run_id, config_score=config.score)
    render = render_score_json if args.format == "json" else render_score_human
    write_output(render(card), args.output)
    return EXIT_OK


def cmd_runs(args: argparse.Namespace) -> int:
    from .runstatus import effective, failure_of, site_run_numbers
    from .scan import db_path
    from .store import Store

    path = db_path(args.db)
    if not store_exists(path):
        raise FetchError(f"{path}：数据库不存在")
    with Store(path) as store:
        numbers: dict[str, dict[int, int]] = {}
        for run in store.runs():
            run = effective(store, run)
            if run.site not in numbers:
                numbers[run.site] = site_run_numbers(store, run.site)
            pages = sum((run.stats.get("pages") or {}).values())
            failure = failure_of(run)
            sys.stdout.write(f"{run.id:>5}  {run.site[:20]:<20} 第{numbers[run.site][run.id]:>3}次  "
                             f"{local_time(run.started_at)}  {_short_status(run.status)} {pages:>6} 页  {run.start_url}"
                             + (f"  （未能访问站点：{failure}）" if failure else "") + "\n")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from .rules import ALL_RULES

    if args.format == "json":
        json.dump([rule_info(r) for r in ALL_RULES], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for r in ALL_RULES:
        sys.stdout.write(f"{r.code:<8} {r.severity.label:<4} {r.title}\n")
    return EXIT_OK


def rule_info(rule) -> dict:
    return {"code": rule.code, "name": rule.name, "title": rule.title,
            "severity": str(rule.severity), "status": rule.status,
            "legal_basis": str(rule.legal_basis), "config_keys": rule.config_keys,
            "subject": rule.subject, "doc": rule.doc()}


def cmd_rule(args: argparse.Namespace) -> int:
    from .rules import find_rule

    rule = find_rule(args.code)
    if rule is None:
        raise UsageError(f"auditor rule：没有规则 {args.code!r}（见 auditor rules）")
    from .findings import basis_line

    options = "，".join(f"{k} = {v!r}" for k, v in rule.config_keys.items()) or "无"
    heading, basis = basis_line(str(rule.legal_basis))
    sys.stdout.write(
        f"{rule.code}  {rule.title}\n"
        f"严重程度：{rule.severity.label}    状态：{_RULE_STATUS.get(rule.status, rule.status)}"
        f"    检查对象：{_SUBJECTS.get(rule.subject, rule.subject)}\n"
        f"{heading}：{basis}\n配置项（[rules.\"{rule.code}\"]）：{options}\n\n{rule.doc()}\n")
    return EXIT_OK


_RULE_STATUS = {"stable": "正式", "preview": "试行"}
#: A run's status in a column of `runs` / `history` (the long forms are in RUN_STATUS_LABELS).
_RUN_SHORT = {"finished": "正常完成", "failed": "抓取失败", "interrupted": "中断",
              "crashed": "异常终止", "running": "进行中"}


def _short_status(status: str) -> str:
    from .reports.parsed import pad

    return pad(_RUN_SHORT.get(status, status), 10)
_SUBJECTS = {"report": "年度报告", "report_pair": "本年与上年年度报告", "document": "文件页面",
             "site": "整个网站"}


def cmd_parse(args: argparse.Namespace) -> int:
    from .parse import parse_report

    data = read_target(args.target)
    report = parse_report(data, source=args.target)
    if report.error:
        raise FetchError(f"{args.target}: {report.error}")
    if args.format == "json":
        json.dump(report.to_dict(provenance=not args.no_provenance), sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .reports.parsed import render_report

        sys.stdout.write(render_report(report) + "\n")
    return EXIT_OK


COMMANDS = {"parse": cmd_parse, "check": cmd_check, "scan": cmd_scan, "audit": cmd_audit,
            "runs": cmd_runs, "history": cmd_history, "diff": cmd_diff, "report": cmd_report,
            "demo": cmd_demo, "rules": cmd_rules, "rule": cmd_rule, "score": cmd_score,
            "worker": cmd_worker, "status": cmd_status}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help()
            return EXIT_ERROR
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    except (FetchError, ConfigError, StoreError) as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    """The ``auditor`` command: :func:`main`, then exit without a last walk of every object.

    A scan's process ends holding the audit's objects (a million for 50,000 documents); the
    cyclic collection Python makes as it exits walked them all for nothing (~0.1 s of a 2 s
    re-scan). They are frozen first (streams are flushed and exit handlers run all the same).
    Not in :func:`main`, which tests and other programs call in a process that goes on."""
    import gc

    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
