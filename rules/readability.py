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

    为什么：仅以图片或扫描版 PDF 发布的年报无法检索、复制，也无法由机器核对，使用读屏软件的读者无法
    阅读，其统计数据更无从审核。解析器将此类输入报告为 ``input_kind="image"``（.jpg/.png 格式的年
    报、各页均为图片的 PDF、仅含图片的 Word 文件）；文字可以读取、但表格页为图片的 PDF 或 Word 文
    件，同样予以注明。以上两种情形均为“需人工复核”：网站可能另行发布了文字版本。仅含图片而无文字表格
    的 Word 文件为“无法评估”（图片可能就是表格，也可能表格缺失）。本工具不做文字识别（OCR），此类年
    报的其他检查无法进行。

    依据：《中华人民共和国政府信息公开条例》第二十四条（政府信息公开平台应当具备信息检索、查阅、下载
    等功能）；政府网站与政务公开评估实践（扫描件、图片形式发布视为不便于公众获取）。

    违规示例：年报附件为六页图片组成的扫描版 PDF，没有文字层；文章页仅有一张年报的 JPG 图片；一份文
    字版 PDF 中第3—4页（表二至表四）为扫描件。

    合规示例：表格为文字的 HTML 页面，或表格为文字的 PDF、Word 文件（可读表格之外另附签名盖章扫描页
    的，不受影响）。
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
