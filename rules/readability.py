"""STR-10: the report is machine-readable (its tables are text, not pictures)."""

from __future__ import annotations

from auditor.engine import Rule
from auditor.findings import LegalBasis, Severity, Status


def _tables_unread(report) -> bool:
    """No number of tables 三 and 四 could be read."""
    return not any(cell.value is not None for key, cell in report.iter_cells()
                   if key.startswith(("table3.", "table4.")))


class MachineReadable(Rule):
    """年度报告应以可检索、可复制的文字发布，表格不得仅为图片或扫描件。

    为什么：a report published only as a picture or a scanned PDF cannot be searched, copied or
    checked by machine, and readers using screen readers cannot read it; its statistics cannot
    be audited at all. The parser reports such input as ``input_kind="image"`` (a .jpg/.png
    report, a PDF whose pages are only images, a Word file holding only pictures); a PDF or Word
    file whose text was read but whose tables were pages of images is noted the same way. Both
    are 需人工复核: the site may publish a text version as well. A Word file holding pictures
    and no text table is not assessable (the pictures may be the tables, or the tables may be
    missing). This tool does no OCR, so the other checks of such a report cannot run.

    依据：《中华人民共和国政府信息公开条例》第二十四条（政府信息公开平台应当具备信息检索、
    查阅、下载等功能）；政府网站与政务公开评估实践（扫描件、图片形式发布视为不便于公众获取）。

    违规示例：the 年报 attachment is a scanned PDF of six page images with no text layer;
    the article page holds only a JPEG of the report; pages 3–4 (tables 二 to 四) of an otherwise
    text PDF are scans.

    合规示例：an HTML page or a text PDF/Word file whose tables are text (a scanned signature
    and seal page next to readable tables is fine).
    """

    legacy = True
    #: Also meaningful for a report the parser could not read (``error`` set, input_kind "image").
    unreadable_input = True
    code = "STR-10"
    name = "structure.machine_readable"
    title = "机器可读"
    severity = Severity.LOW
    legal_basis = LegalBasis("第二十四条")

    def check(self, ctx):
        report = ctx.report
        if report.input_kind == "image":
            # The defect is plain; whether a text version is published elsewhere is not.
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                "年度报告仅以图片或扫描件形式发布（无文字层），无法检索、复制，表格数据无法机读核查；"
                "请确认是否另行发布了文字版。" + (f"（{report.error}）" if report.error else ""),
                evidence={"input_kind": report.input_kind, "reason": report.error},
                discriminator="image-only")
            return
        scanned = report.page.get("file_scanned_pages")
        images = report.page.get("file_images")
        if scanned and _tables_unread(report):
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"文件第{scanned.replace(',', '、')}页为扫描图片，表格数据未能读取，无法机读核查；"
                "请确认表格是否仅以图片形式发布。",
                evidence={"scanned_pages": scanned, "input_kind": report.input_kind},
                discriminator="scanned-pages")
        elif images and _tables_unread(report):
            # Pictures and no table: the tables may be pictures, or simply missing (STR-01/03).
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"文档含{images}张图片且未找到文字表格，表格可能以图片形式插入，无法判断是否机器可读。",
                evidence={"images": images, "input_kind": report.input_kind},
                discriminator="picture-tables")


READABILITY_RULES = [MachineReadable]
