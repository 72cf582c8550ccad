"""The loaders' own errors, and the plain messages (Chinese and English) every problem is told in.

A problem has a stable ``code`` and parameters; :data:`MESSAGES` turns it into a sentence in each
language, so the report, the JSON and the GraphQL answer say the same thing.
"""

from __future__ import annotations

from typing import Any

from graph.errors import GridGraphError

# code -> (Chinese template, English template); templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("必填项为空", "a value is required"),
    "missing_column": ("缺少必填列“{label}”", "required column '{label}' is missing"),
    "missing_one_of": (
        "缺少列：“{columns}”至少要有一列",
        "missing column: at least one of '{columns}' is needed",
    ),
    "unknown_column": ("未知的列“{header}”，已忽略", "unknown column '{header}' was ignored"),
    "no_header": ("找不到表头行", "no header row found"),
    "unknown_kind": (
        "无法从表头判断导入类型，请用 --kind 指定（可选：{choices}）",
        "cannot tell the load kind from the headers; give --kind (one of: {choices})",
    ),
    "ambiguous_kind": (
        "表头同时符合多个导入类型（{choices}），请用 --kind 指定",
        "the headers fit several load kinds ({choices}); give --kind",
    ),
    "not_int": ("“{value}”不是整数", "'{value}' is not a whole number"),
    "not_float": ("“{value}”不是数字", "'{value}' is not a number"),
    "not_bool": ("“{value}”不是是/否", "'{value}' is not yes/no (是/否)"),
    "not_date": (
        "“{value}”不是日期（如 2023-05-01、2023/5/1、2023年5月1日）",
        "'{value}' is not a date (e.g. 2023-05-01, 2023/5/1, 2023年5月1日)",
    ),
    "bad_choice": ("“{value}”不是可选值（{choices}）", "'{value}' is not one of: {choices}"),
    "bad_uscc": (
        "统一社会信用代码“{value}”无效：{detail_zh}",
        "unified social credit code '{value}' is invalid: {detail_en}",
    ),
    "bad_division_code": (
        "区划代码“{value}”应为{lengths}位数字",
        "division code '{value}' should be {lengths} digits",
    ),
    "too_long": ("内容过长（超过{limit}个字符）", "value longer than {limit} characters"),
    "bad_value": ("无法读取“{value}”", "cannot read '{value}'"),
    "unknown_ref": (
        "找不到{kinds_zh}“{value}”{load_zh}",
        "no {kinds_en} named or coded '{value}'{load_en}",
    ),
    "no_natural_key": (
        "没有编号时，需要{needs_zh}来识别这条记录",
        "without a number, {needs_en} are needed to know the record",
    ),
    "cannot_clear": (
        "此列不能清空（必填、编号或引用列）",
        "this column cannot be cleared (it is required, a key or a reference)",
    ),
    "kind_missing_columns": (
        "无法判断导入类型：表头最接近“{kind_zh}”，该类型需要的列：{expected}；缺少：{missing}"
        "（其他接近的类型：{others}；也可用 --kind 指定）",
        "cannot tell the load kind: the headers come closest to '{kind}' ({kind_zh}), which "
        "needs the columns {expected}; missing: {missing} (other near kinds: {others}; or "
        "give --kind)",
    ),
    "sheet_skipped": (
        "工作表“{sheet_name}”是{reason_zh}，已跳过（--all-sheets 可导入）",
        "sheet '{sheet_name}' is {reason_en}; skipped (--all-sheets includes it)",
    ),
    "summary_row": (
        "“{word}”行（合计或签字行）不是数据，已跳过",
        "a '{word}' row (totals or signatures) is not data; skipped",
    ),
    "over_limit": ("{zh}", "{en}"),
    "ambiguous_ref": (
        "“{value}”对应多个对象：{ids}，请填写编号",
        "'{value}' matches several records: {ids}; give the code instead",
    ),
    "ref_mismatch": (
        "“{value}”与{other_column}“{other}”不是同一对象",
        "'{value}' and {other_column} '{other}' name different records",
    ),
    "wrong_ref_kind": (
        "“{value}”是{found_zh}，这里需要{kinds_zh}",
        "'{value}' is a {found}, a {kinds_en} is needed here",
    ),
    "dates_reversed": (
        "生效日期 {start} 晚于有效期至 {end}",
        "valid_from {start} is after valid_to {end}",
    ),
    "duplicate_row": ("与第{first_row}行重复", "duplicate of row {first_row}"),
    "row_conflict": (
        "与第{first_row}行的{what}不一致：{field} “{first}” ≠ “{second}”",
        "disagrees with row {first_row} on {what}: {field} '{first}' != '{second}'",
    ),
    "exists_different": (
        "{what}已存在且内容不同：{field} 现为“{old}”，文件为“{new}”",
        "{what} already exists with different values: {field} is '{old}', the file says '{new}'",
    ),
    "skipped_conflict": (
        "{what}已存在且内容不同，按 --on-conflict skip 跳过",
        "{what} already exists with different values; skipped (--on-conflict skip)",
    ),
    "example_row": ("模板示例行，已跳过", "template example row, skipped"),
    "unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
}


def message(code: str, **params: Any) -> tuple[str, str]:
    """The Chinese and English sentences for a problem code."""
    zh, en = MESSAGES[code]
    return zh.format(**params), en.format(**params)


class LoadError(GridGraphError):
    """A file that cannot be loaded at all: unreadable, unknown format, unknown load kind."""


class InvalidCell(GridGraphError, ValueError):
    """A cell value that a parser or validator refuses; carries a problem code and parameters.

    The only exception the cell parsers and validators raise on bad input.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        self.zh, self.en = message(code, **params)
        super().__init__(self.en)
