"""Chinese-first text for people: findings grouped by severity, then what could not be seen."""

from __future__ import annotations

from auditor.engine import AuditResult
from auditor.findings import STATUS_LABEL, Severity, Status, basis_line
from auditor.runstatus import run_label, status_label
from auditor.timefmt import local_time
from auditor.vocabulary import FORMAT_LABELS, UNIT_TYPE_LABELS

_MARK = {Status.VIOLATION: "✗", Status.NEEDS_REVIEW: "?", Status.NOT_ASSESSABLE: "…"}


def _site_header(result: AuditResult) -> list[str]:
    ctx, cov = result.context, result.coverage
    # site_run: which run of this site it is (set by scheduled scans); run_id is global.
    run = run_label(ctx.get("site_run"), ctx.get("run_id"))
    return [
        f"检查站点  {ctx.get('start_url')}    （{run}，{local_time(ctx.get('started_at'))}）",
        *([f"检查基准日  {ctx['as_of']}"] if ctx.get("as_of") else []),
        f"抓取状态  {status_label(str(ctx.get('run_status')))}：页面 {cov.get('pages_total', 0)} 个，成功 "
        f"{cov.get('pages_fetched', 0)}，HTTP 错误 {cov.get('http_errors', 0)}，超时 "
        f"{cov.get('timeouts', 0)}，被拦截 {cov.get('blocked', 0)}，robots 禁止 "
        f"{cov.get('skipped_robots', 0)}，站外未抓 {cov.get('offsite_skipped', 0)}",
        *_revalidation_line(cov),
        f"检查内容  文件 {cov.get('documents', 0)} 篇，年度报告 {cov.get('reports', 0)} 份"
        + (f"（{cov['unparseable_reports']} 份无法解析）" if cov.get("unparseable_reports") else ""),
        *_unit_line(ctx),
        *_column_lines(cov),
        "",
    ]


def _revalidation_line(cov: dict) -> list[str]:
    """A re-scan says what it asked and, when it stood on an earlier crawl, which."""
    asked = (cov.get("revalidated") or {}).get("asked")
    if not asked:
        return []
    line = f"复查更新  按上次抓取询问 {asked} 次，未变 {cov['revalidated'].get('unchanged', 0)} 个页面"
    if cov.get("replayed_from"):
        line += (f"；全部页面与运行编号 {cov['replayed_from']} 相同，沿用其抓取结果"
                 "（未重新导航，审计规则已重新运行）")
    return [line]


def _unit_line(ctx: dict) -> list[str]:
    unit = ctx.get("unit_type")
    if not unit:
        return []
    source = str(ctx.get("unit_type_source") or "")
    how = {"configured": "（已配置）"}.get(source) or (
        f"（据{source.split(': ', 1)[1]}推断）" if source.startswith("inferred: ") else
        "（未能判断：发布时限相关规则按需人工复核处理）" if source.startswith("unknown") else "")
    return [f"主办机关  {UNIT_TYPE_LABELS.get(unit, unit)}{how}"]


def _column_lines(cov: dict) -> list[str]:
    """One line a column: how it was read, items listed / fetched / dated, how it was found."""
    columns = cov.get("columns") or []
    if not columns:
        return []
    out = [f"栏目覆盖  共 {len(columns)} 个栏目，完整读取 {cov.get('columns_complete', 0)} 个；"
           f"列出条目 {cov.get('items_listed', 0)} 条，已抓取 {cov.get('items_fetched', 0)} 条"]
    for column in columns:
        line = (f"  · {column.get('name') or column['url']}：{column.get('state_label')}，"
                f"列出 {column.get('items_listed', 0)} 条，已抓取 {column.get('items_fetched', 0)} 条，"
                f"有日期 {column.get('items_dated', 0)} 条")
        if column.get("found_by"):
            line += f"（发现方式：{column['found_by']}）"
        out.append(line)
        if column.get("reasons"):
            out.append(f"      未完整读取的原因：{'；'.join(column['reasons'])}")
    return out


def render_human(result: AuditResult) -> str:
    ctx = result.context
    report = ctx.get("report", {})
    counts = result.counts()
    site = "run_id" in ctx
    if site:
        lines = _site_header(result)
    else:
        lines = [
            f"检查对象  {report.get('title') or report.get('source') or '（未识别标题）'}",
            f"报告机关  {report.get('issuer') or '（未识别）'}    年度  {report.get('year') or '（未识别）'}"
        f"    格式  {FORMAT_LABELS.get(report.get('format') or '', '（未识别）')}",
        f"单位类型  {UNIT_TYPE_LABELS.get(ctx.get('unit_type'), ctx.get('unit_type'))}"
        f"（{'指定' if ctx.get('unit_type_source') == 'configured' else '据名称推断'}）"
        f"    发布日期  {ctx.get('published') or '未知'}"
        + (f"（{ctx['published_from']}）" if ctx.get("published_from") else ""),
        "",
        ]
    if not result.findings:
        lines.append("未发现问题。")
    for severity in Severity:
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"【{severity.label}】")
        for f in group:
            waived = f"（已豁免：{f.waived}）" if f.waived else ""
            lines.append(f"  {_MARK[f.status]} {f.rule} {STATUS_LABEL[f.status]}{waived}")
            lines.append(f"    {f.message}")
            where = "  ".join(p for p in (f.location.url, f.location.describe()) if p)
            if where:
                lines.append(f"    位置：{where}")
            heading, basis = basis_line(f.legal_basis)
            lines.append(f"    {heading}：{basis}")
        lines.append("")
    lines.append(f"违规 {counts['violation']} 项，需人工复核 {counts['needs_review']} 项，"
                 f"无法评估 {counts['not_assessable']} 项，已豁免 {counts['waived']} 项。")
    if result.coverage.get("legacy_report"):
        lines.append("注意：这是2018年度及以前（旧条例、统一格式施行前）的报告，六部分、表格勾稽等格式规则不适用，"
                     "未作检查。")
    if result.coverage.get("unreadable"):
        lines.append(f"注意：报告无法读取（{result.coverage['unreadable']}），仅能作上述检查，"
                     "表格与正文规则均未能评估。")
    elif not site and not result.coverage.get("complete", True):
        lines.append("注意：部分内容无法评估（见上方“无法评估”各项），本结果不能视为全部合格。")
    if site and ctx.get("run_status") == "failed":
        lines.append("注意：本次抓取失败，未能访问站点，站点内容均未检查，结果不能视为合格。")
    elif site and result.coverage.get("complete") is False:
        reasons = result.coverage.get("incomplete_reasons") or []
        lines.append("注意：本次抓取未能覆盖全部内容"
                     + (f"（{'；'.join(reasons)}）" if reasons else "（见“无法评估”各项）")
                     + "，结果不能视为全站合格。")
    skipped = result.coverage.get("rules_skipped_without_previous")
    if skipped:
        lines.append(f"未提供上年报告，跨年度规则未运行：{'、'.join(skipped)}。")
    return "\n".join(lines) + "\n"
