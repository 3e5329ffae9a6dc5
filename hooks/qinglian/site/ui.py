"""UI strings and template filters: every word the templates show, in one place."""

from __future__ import annotations

import json

from qinglian.content.contract import COLLECTIONS
from qinglian.content.urls import safe_media_path, safe_url
from qinglian.site import covers

# Each collection's name (清官廉吏, 清廉家书, 清廉单元) is declared once, in the content contract; every link, title
# and heading that names a collection is made from it. Prose that uses the words in a sentence keeps its own text.
NAME = {key: collection.name for key, collection in COLLECTIONS.items()}

# The browse pages, named once: the empty search result and an empty story list lead readers to them.
BROWSE_LINKS = {
    "unit-types/": NAME["units"],  # the readers' way into the unit stories: by the ten unit types (as in the nav)
    "townships/": "乡镇",
    "eras/": "时代",
    "tags/": "标签",
    "officials/": NAME["officials"],
    "letters/": NAME["letters"],
    "timeline/": "时间线",
    "tougao/": "投稿",
}

# The 投稿 page (docs/tougao.md, template tougao.html, script assets/javascripts/tougao.js).
TOUGAO_UI = {
    "title": "投稿：写一封清廉家书",
    "lead": "给家人写一封谈清白做人、勤俭持家的信，或把家里珍藏的家书、家训抄下来，投给本站。"
    "不用注册，不用下载软件，在手机上填好就能生成投稿文件。",
    "correction_title": "纠错 / 提供线索",
    "correction_lead": "您对这篇故事有更正、补充的史料或线索，请写在下面，编辑核实后会修改网页。",
    "correction_about": "关于：",
    "letter_part": "这封信",
    "title_label": "信的标题",
    "title_hint": "如：给儿子的一封信——做人要清白",
    "summary_label": "一句话介绍",
    "summary_hint": "一两句话说说这封信写给谁、讲了什么，最多 %d 字。",
    "body_label": "信的内容",
    "body_hint": "照原信抄写，一段一行。不要写电话、身份证号、银行卡号、邮箱等个人信息。",
    "writer_part": "写信人",
    "author_label": "写信人",
    "author_hint": "可以用笔名，如“一位父亲”。",
    "relation_label": "写信人与收信人的关系（可不填）",
    "relation_hint": "如：父亲写给儿子",
    "township_label": "写信人所在乡镇（街道）（可不填）",
    "township_none": "（不填）",
    "note_part": "给编辑的话（可不填）",
    "note_label": "想对编辑说的话",
    "note_hint": "如：这封信写于哪一年、原信是否还在、有没有照片。这段话只给编辑看，不会发布。",
    "correction_note_label": "您发现的错误或线索",
    "correction_note_hint": "写清是哪一句、应该怎样改，资料出自哪里。",
    "contact_part": "联系方式（不会公开）",
    "contact_explain": "编辑核对内容时可能需要联系您。联系方式只放在发给编辑的说明里，不写进投稿文件，"
    "不会出现在网站上。",
    "contact_name_label": "您的称呼",
    "contact_label": "电话或电子邮箱",
    "consent_part": "同意公开",
    "consent_label": "我是写信人（或得到了写信人的同意），同意本站公开发布这封信；编辑可以改正错字、"
    "删去个人信息，但不改变信的意思。",
    "submit": "生成投稿文件",
    "submit_correction": "生成给编辑的说明",
    "errors_title": "还有几处需要修改：",
    "result_title": "投稿文件已生成",
    "result_lead": "下面是您的投稿文件。请下载或复制，再发给编辑。",
    "correction_result_title": "给编辑的说明已生成",
    "correction_result_lead": "下面是给编辑的说明。请复制，或用电子邮件发给编辑。",
    "correction_no_email": "本站暂未公布投稿邮箱：请把复制的文字交给本站的编辑。",
    "download": "下载投稿文件",
    "copy_button": "复制全文",
    "copied": "已复制。",
    "copy_failed": "复制没有成功，请长按下面的文字全选后复制。",
    "email": "用电子邮件发送",
    "email_hint": "会打开手机或电脑的邮件程序，信已填好；如果邮件里的信不完整，请把下载的文件作为附件发送。",
    "no_email": "本站暂未公布投稿邮箱：请把下载的文件（或复制的文字）交给帮您投稿的编辑。",
    "file_label": "投稿文件（发布的内容）",
    "editor_note_label": "给编辑的说明（含联系方式，不会发布）",
    "next_title": "接下来会怎样",
    "next_steps": (
        "编辑收到后，会核对内容，必要时按您留下的联系方式与您确认。",
        f"编辑把信整理成网页，删去个人信息，经审核后发布在“{NAME['letters']}”栏目。",
        "发布前您可以随时告诉编辑撤回投稿。",
    ),
    "correction_next_steps": (
        "编辑收到后会核对史料，必要时按您留下的联系方式与您确认。",
        "核实后，编辑修改网页；不公开您的姓名和联系方式。",
    ),
    "guide_link": "编辑怎样处理投稿：编辑指南 →",
    # what tougao.js writes (handed over in the generated tougao-rules.js, with the checker's messages)
    "script": {
        "body_required": "请写下信的内容。",
        "correction_required": "请写下您发现的错误或线索。",
        "consent_required": "请勾选“同意公开”：没有写信人的同意，这封信不能发布。",
        "private_hint": "请删掉它；联系方式请填在下面的“联系方式”里，不会公开。",
        "paragraph": "第 {n} 段",
        "mail_subject": "投稿：{title}",
        "correction_subject": "纠错 / 线索：{title}",
        "mail_note": "给编辑的话：",
        "mail_contact": "联系方式（不公开）：",
        "mail_file": "投稿文件（请保存为 .md 文件后用 hooks/import.py 导入）：",
        "mail_about": "关于：",
    },
}

UI = {
    "unverified": "史实待核实",
    "unverified_note": "本文部分史实尚待核实，以下资料来源供读者查证。",
    "sources": "资料来源",
    "tags": "标签",
    "tags_nav": "本文的标签",
    "search": "搜索",
    "search_button_title": "搜索（/）",
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
    # the home page's 全部栏目 grid: (key, label); the unit stories are named apart from the ten 清廉单元 above them
    "home_collections": (
        ("officials", NAME["officials"]),
        ("letters", NAME["letters"]),
        ("units", f"{NAME['units']}故事"),
    ),
    "units_by_type_link": "按十个清廉单元浏览 →",  # the units collection's page, to the unit-types pages
    "stories_total": "共 %d 篇",
    "yes": "是",
    "captions": "中文字幕",  # a video's captions track, as the player's menu names it
    "page_kind": "专题",  # what search results call a hand-written page (a story shows its collection's short name)
    # one source, cited (partials/ql-cite.html): 作者：标题，出版者，年份，页码。
    "cite": {"author": "%s：", "sep": "，", "year": "%s年", "stop": "。"},
    # the browse taxonomies (site/catalog.py): key -> (name, description); %d: today's number of townships
    "taxonomies": {
        "unit-types": (f"{NAME['units']}类型", "十个清廉单元，各单元的创建实践与示范点。"),
        "townships": ("乡镇", "慈利县 %d 个乡镇（街道）的清廉故事。"),
        "eras": ("时代", f"按时代排列的{NAME['officials']}。"),
        "tags": ("标签", "按关键词浏览。"),
    },
    "timeline": "时间线",
    "visit": "浏览",
    "featured": "推荐阅读",
    "letters_cili": "慈利家书",
    "letters_cili_lead": "慈利人家的家书：今人来信经写信人同意公开，先人家书注明出处。",
    "letters_cili_empty": "还没有收录慈利人家的家书。您家里有讲清廉、讲家风的书信吗？欢迎投稿。",
    "letters_classical": "历代家训",
    "letters_classical_lead": "历代名人的家训、家书，是各地家风教育常读的经典；它们与慈利没有直接关系。",
    "officials_cili": "慈利人物",
    "officials_cili_lead": "与慈利有关的人物，故事注明所在乡镇。",
    "officials_cili_empty": "还没有收录与慈利有关的人物。",
    "officials_classical": "历代清官廉吏",
    "officials_classical_lead": "历代清官廉吏的事迹，是各地廉洁教育常讲的经典；他们与慈利没有直接关系。",
    "contribute_link": "投稿 →",
    "campaign": "清廉慈利建设",
    "target": "示范点建设目标",
    "to_now": "至今",
    "page_title_suffix": "清廉慈利",
    # reading bar (简/繁, 适老化)
    "reading_settings": "阅读设置",
    "to_traditional": "繁體",
    "to_traditional_title": "以繁体字显示全站",
    "to_simplified": "简体",
    "to_simplified_title": "以简体字显示全站",
    "font_size": "字号",
    "font_steps": ("标准", "大", "更大", "特大"),
    "high_contrast": "高对比",
    # the search box (partials/search.html)
    "search_input": "搜索故事",
    "search_placeholder": "搜索：人名、标题、拼音（如 yry）",
    "search_clear": "清空",
    "search_results_region": "搜索结果区域",
    "search_results": "搜索结果",
    "search_filters": "筛选：栏目、单元类型、乡镇、时代",
    "search_prompt": "输入人名、标题、文中字词或拼音（如 yry）开始搜索",
    "search_more": "显示更多",
    "search_nothing": "没有找到相关内容。换个字词或拼音试试，或者分类浏览：",
    # what assets/javascripts/search.js writes as results come in ({n}: a number); the page hands them over in
    # data-ql-say, and on 繁體 pages the script converts them with its character map as it does the results
    "search_script": {
        "searching": "正在搜索…",
        "unavailable": "搜索暂时不可用：请通过本站网址打开（不能直接双击文件）。",
        "found": "找到 {n} 篇",
        "not_found": "没有找到结果",
        "filters_in_use": "筛选（已选 {n} 项）",
        "all": "全部",
        "filter_labels": {"collection": "栏目", "unit_type": "单元类型", "township": "乡镇", "era": "时代"},
    },
    # where the empty search result sends readers: (address, label)
    "search_browse": tuple(BROWSE_LINKS.items()),
    # where an empty story list sends readers (partials/ql-story-list.html; the kiosk leaves out 投稿)
    "empty_browse": tuple((address, BROWSE_LINKS[address]) for address in ("unit-types/", "townships/", "tougao/")),
    # sharing and print
    "share": "分享",
    "share_hint": "扫码在手机上继续阅读，或复制本页地址：",
    "qr_label": "本页地址的二维码",
    # feeds: (key, title); key "all" is every collection
    "feeds": (("all", "清廉慈利：最新故事"), *((key, f"清廉慈利：{name}") for key, name in NAME.items())),
    "subscribe": "订阅",
    "term_description": "%s“%s”：本站收录的 %d 篇故事。",  # a browse page's description (taxonomy, term, count)
    "feed_subtitle": "慈利县清廉文化：清官廉吏、清廉家书与十个清廉单元的最新故事。",
    "download": "下载数据",
    # campaign pages
    "dashboard": "建设进展",
    "dashboard_lead": "清廉慈利建设的示范点、各单元和各乡镇的故事、历年家书，数字均由本站内容在生成时统计。",
    "demonstration_progress": "示范点：已收录与目标",
    "demonstration_so_far": "本站已收录的示范点",
    "per_unit_type": "各清廉单元的故事",
    "per_township": "各乡镇的故事",
    "letters_per_year": "各年份的家书",
    "year_unknown": "年份未注明",
    "count": "数量",
    "townships_lead": "慈利县 %d 个乡镇（街道）各有哪些清廉单元、示范点、家书和清官廉吏。",
    "township_former": "%s已撤销，现分设为",
    # the verification ledger (核实台账)
    "ledger": "核实台账",
    "ledger_lead": "本站只发布有来源的内容。下面各条还没有两份独立资料相互印证，页面上标有“史实待核实”："
    "每条写明依据什么、还需要什么资料。您如有证据，欢迎告诉我们。",
    "ledger_needs_default": "另一份独立的公开资料（出版物、档案或官方发布）。",
    "ledger_kind_data": "数据",
    "ledger_target": "清廉建设示范点目标：%s 个",
    "ledger_basis": "依据",
    "ledger_sources": "现有来源",
    "ledger_needs": "还需要",
    "ledger_send": "提供证据或线索",
    "ledger_empty": "目前没有待核实的内容。",
    "ledger_link": "核实台账：哪些内容待核实、还需要什么资料 →",
    "verified_share": "已核实的故事：%d / %d 篇（%d%%）",
    "submit_page": "tougao/",  # the 投稿 page, where letters, corrections and evidence can be sent (not on the kiosk)
    **NAME,  # officials, letters, units: the townships table's column headings
    "none": "—",
    "timeline_lead": f"按时代排列的{NAME['officials']}：每个时代一段，人物按生年排在其中。",
    "data_note": "数字由本站已收录的内容统计，不代表全县的全部情况。",
    "none_note": "“—”表示本站还没有收录。",
    "unverified_short": "待核实",
    "count_of": "%d 个",
    "caption_count": "%s：共 %d 个",
    "chart_total": "%s（共 %d %s）",
    "chart_none": "另有 %d 项本站暂未收录，见数据表",
    "data_table": "%s：数据表",
    "page_address": "本页地址",
    "campaign_article": "报道全文",
    "campaign_article_link": "清廉慈利建设：报道全文 →",
    "dashboard_link": "建设进展：各单元、各乡镇、历年家书 →",
    "downloads_title": "下载数据与订阅",
    "download_csv": "全部故事的元数据（CSV，Excel 可直接打开）",
    "download_json": "全部故事的元数据（JSON）",
    "feed_link": "订阅：%s（Atom）",
    "feed_all_link": "最新故事（Atom）",
    "home_units": "十个清廉单元",
    "all_letters_link": f"全部{NAME['letters']}（%d 封）→",
    "townships_short": "乡镇",
    "eras_short": "时代",
    "timeline_hint": f"{NAME['officials']}按时代",
    "timeline_link": "时间线：每位人物的生卒年画在所处时代之中 →",
    "timeline_by_era_link": "时间线：按时代浏览 →",
    # every story page (not on the kiosk): the 投稿 page in its correction mode, about this story
    "feedback_link": "纠错 / 提供线索",
    "feedback_hint": "发现错误，或知道更多史料、线索？告诉编辑：",
    "editors_guide": "编辑指南",
    "tougao": TOUGAO_UI,
    # the site's frame: seal mark, footer (data/site.yml `footer:`), editors' link, home page
    "seal_char": "廉",
    "footer_organizer": "主办单位",
    "footer_contact": "联系方式",
    "footer_icp": "备案号",
    "footer_links": "站点链接",
    # (address, label) in the footer; the editors' guide lives here, not in the readers' menu
    "footer_link_list": (
        ("campaign/", "清廉慈利建设"),
        ("dashboard/", "建设进展与数据下载"),
        ("feeds/all.xml", "订阅最新故事"),
        ("accessibility/", "无障碍"),
        ("privacy/", "隐私说明"),
        ("tougao/", "投稿"),
        ("contributing/", "编辑指南"),
    ),
    "edit_story": "编辑本文（编辑人员）",
    "hero_from": "出自",
    "read_story": "阅读全文",
    "unit_invite": "欢迎投稿",
    "units_all_link": "十个清廉单元的介绍 →",
    "campaign_fact": "清廉慈利建设计划打造清廉建设示范点 %d 个。",
    "campaign_fact_source": "来源：",
    "demonstration_none": "本站还没有收录示范点的故事。",
    "cover_label": "绘制的标题封面",
    "era_empty_names": "尚无收录人物的时代：",
    "township_kind": "慈利县所辖%s",
    "search_label": "搜索",
    "collections_nav": "栏目",
    "story_count_of": "%d 篇",
    # 朗读 (assets/javascripts/read-aloud.js): handed over in data-ql-say; the 繁體 mirror converts them with the page
    "read_aloud": {
        "label": "朗读全文",
        "play": "朗读",
        "pause": "暂停",
        "resume": "继续朗读",
        "speed": "语速",
        "speeds": [["慢", 0.75], ["正常", 1], ["快", 1.3]],
    },
    "take_home_lead": "你在展厅触摸屏上收藏的故事。这个列表只在网址里，本站不保存任何访客信息。",
    # 带走: the stories a kiosk visitor collected, opened on their phone (docs/collection.md, collection.js)
    "take_home_list": {
        "loading": "正在读取……",
        "empty": "这个链接里没有可以打开的故事。",
        "missing": "有 {n} 篇故事已不在本站。",
        "unavailable": "故事目录暂时打不开，请稍后再试。",
    },
    # a story's recorded voice (audio + audio_transcript)
    "audio": "录音",
    "audio_transcript": "录音文字稿",
}


# The kiosk edition (hooks/qinglian/kiosk/edition.py, kiosk.yml): its bar, search keyboard, QR overlays and attract loop.
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
    "demonstration_target": "计划打造 %d 个",
    "target_unverified": "目标数待核实",
    "units": "十个清廉单元",
    "not_found": "页面不存在，正在返回首页……",
    "stories_count": "篇",
    # a kinder kiosk (partials/kiosk-care.html, kiosk.js)
    "still_there": "还在看吗？",
    "still_there_hint": "轻触屏幕任意处继续；{n} 秒后回到首页。",
    "keep_reading": "继续阅读",
    "text_size": "大字",
    "text_size_icon": "字",  # drawn on the 大字 button, hidden from screen readers (the label says it)
    "text_steps": ("标准", "大", "特大"),
    "save": "收藏",
    "saved": "已收藏",
    "take_home": "带走",
    "take_home_title": "扫码把收藏的故事带回家",
    "take_home_hint": "用手机扫描二维码，在手机上打开你收藏的 {n} 篇故事。本机不记录任何个人信息。",
    "take_home_empty": "还没有收藏。在故事页点“收藏”，再来这里扫码带走。",
    "closed_title": "展厅已闭馆",
    "closed_hours": "开放时间：{open}—{close}",
    "closed_days": "开放日：{days}",
    "weekdays": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "staff_title": "工作人员",
    "staff_hint": "输入密码退出展示模式",
    "staff_ok": "确定",
    "staff_wrong": "密码不对",
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


def safe_href(value) -> str:
    """A `sources[].url` rebuilt as an http(s) address, or "" (no link) for anything else."""
    return safe_url(value) or ""


def media_path(value) -> str:
    """A media field (cover, video…) rebuilt as a path under assets/, or "" for anything else."""
    return safe_media_path(value) or ""


def pagefind_value(value) -> str:
    """A value for data-pagefind-meta/filter="key:value": Pagefind reads a comma as the start of another
    key (a title "x, url:…" would set a second field), and a backslash as an escape; both become full-width."""
    return str(value).replace(",", "，").replace("\\", "＼")


def say(words) -> str:
    """Words for a script, as JSON with the characters themselves (not \\u escapes), so that the 繁體 mirror
    converts them with the rest of the page. Escape it into the attribute: data-ql-say="{{ x | say | e }}"."""
    return json.dumps(words, ensure_ascii=False)


FILTERS = {
    "pagefind_value": pagefind_value,
    "year": year,
    "cn_date": cn_date,
    "life_span": life_span,
    "era_span": era_span,
    "say": say,
    "safe_href": safe_href,
    "media_path": media_path,
    **covers.FILTERS,
}
