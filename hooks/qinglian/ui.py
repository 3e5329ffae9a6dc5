"""UI strings and template filters: every word the templates show, in one place."""

from __future__ import annotations

UI = {
    "unverified": "史实待核实",
    "unverified_note": "本文部分史实尚待核实，以下资料来源供读者查证。",
    "sources": "资料来源",
    "tags": "标签",
    "related": "相关故事",
    "demonstration": "示范点",
    "browse": "分类浏览",
    "empty": "这里还没有故事。",
    "empty_hint": "欢迎投稿，或先看看其他栏目。",
    "stories_count": "篇",
    "era": "时代",
    "years": "生卒",
    "office": "官职",
    "township": "乡镇",
    "author": "写信人",
    "relation": "关系",
    "written": "写信时间",
    "unit": "单位",
    "unit_type": "单元类型",
    "year": "年份",
    "highlights": "亮点",
    "date": "日期",
    "consent": "写信人同意公开",
    "all_collections": "全部栏目",
    "timeline": "时间线",
    "visit": "浏览",
    "featured": "推荐阅读",
    "latest_letters": "最新家书",
    "campaign": "清廉慈利建设",
    "target": "示范点建设目标",
    "to_now": "至今",
    "page_title_suffix": "清廉慈利",
}


# The kiosk edition (hooks/qinglian/kiosk.py, kiosk.yml): its bar, search keyboard, QR overlays and attract loop.
KIOSK_UI = {
    "home": "首页",
    "back": "返回",
    "search": "搜索",
    "search_title": "拼音搜索",
    "search_hint": "点字母输入拼音：全拼或每个字的首字母都可以",
    "search_empty": "没有找到，换个拼音试试",
    "search_unavailable": "搜索暂不可用",
    "clear": "清除",
    "delete": "删除",
    "close": "关闭",
    "qr_continue": "扫码继续阅读",
    "qr_continue_hint": "用手机扫描二维码，在手机上继续阅读本文",
    "qr_external": "扫码在手机上打开",
    "qr_external_hint": "展厅触摸屏不打开外部网站。请用手机扫描二维码查看：",
    "ext_marker": "扫码查看",
    "attract_start": "轻触屏幕开始",
    "video_showcase": "清廉视频展播",
    "demonstration": "示范点建设进度",
    "demonstration_unit": "个",
    "target_unverified": "目标数待核实",
    "units": "十个清廉单元",
    "not_found": "页面不存在，正在返回首页……",
    "stories_count": "篇",
}


def year(value) -> str:
    """1898 -> 1898年; -221 -> 公元前221年."""
    if value is None or value == "":
        return ""
    value = int(value)
    return f"公元前{-value}年" if value < 0 else f"{value}年"


def cn_date(value) -> str:
    """2024-05-01 -> 2024年5月1日; a bare year -> 2024年."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return year(value)
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return str(value)


def life_span(meta: dict) -> str:
    born, died = meta.get("born"), meta.get("died")
    if born is None and died is None:
        return ""
    return f"{year(born) or '？'}—{year(died) or '？'}"


def era_span(era: dict) -> str:
    return f"{year(era['start'])}—{year(era['end']) if era.get('end') is not None else UI['to_now']}"


FILTERS = {"year": year, "cn_date": cn_date, "life_span": life_span, "era_span": era_span}
