"""The content contract: the one place that declares every front-matter field.

Validation (a JSON Schema built from these declarations), the error messages, the editors' field
tables on the contributing page and the new-story templates are all derived from this module, so a
field is added or explained here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

# \Z, not $: "$" also matches before a final newline, so `abc\n` (a file name ending in a newline) would pass.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_PATTERN = rf"^{SLUG}\Z"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}\Z"
SUMMARY_MAX = 140
# Largest image (cover or in the text) an editor may add: readers are on phones, often on mobile data.
IMAGE_MAX_KB = 500
# Largest recorded voice (audio): about six minutes of speech at 64 kbit/s, still a short download on a phone.
AUDIO_MAX_KB = 3000


@dataclass(frozen=True)
class Limit:
    """A bound on the size of what one file may hold, so no file can exhaust the checker or the build."""

    value: int
    unit: str  # 字节, 字, 层, 项
    what: str  # what is counted, as the message names it
    fix: str  # what the editor does instead

    def message(self, found: int | None = None, note: str = "") -> str:
        now = f"现在是 {found:,} {self.unit}，" if found is not None else ""
        return f"{self.what}超过上限：{now}最多 {self.value:,} {self.unit}{note}。"


# Every limit, declared once: the loader, the YAML reader, the schema and the editors' guide read them here.
# Today's largest story is a few KB, 3 levels deep, with 5 tags: each limit is far above any real story.
LIMITS: dict[str, Limit] = {
    "file_bytes": Limit(
        1_000_000, "字节", "文件大小", "把过长的内容拆成几篇；图片和附件放到 docs/assets/ 下，不要写进文件。"
    ),
    "data_file_bytes": Limit(256_000, "字节", "数据文件大小", "数据文件只登记键和名称；多余的内容请删掉。"),
    "front_matter_bytes": Limit(
        16_000, "字节", "front matter（两行 --- 之间）的大小", "front matter 只写字段；长的文字放进正文。"
    ),
    "body_chars": Limit(100_000, "字", "正文长度", "把过长的正文拆成几篇故事。"),
    "text_chars": Limit(2_000, "字", "一个字段值的长度", "字段值写短一些；长的文字放进正文。"),
    "depth": Limit(6, "层", "YAML 嵌套层数", "字段最多像 sources 那样缩进两层；删掉多余的缩进或括号。"),
    "items": Limit(1_000, "项", "一个列表（或一组键值）的项数", "删掉多余的项；确实需要时拆成几个文件。"),
    "tags": Limit(20, "项", "标签数", "只留最能概括这篇故事的几个标签。"),
    "highlights": Limit(20, "项", "亮点条数", "只留最重要的几条。"),
    "sources": Limit(100, "项", "资料来源条数", "只列实际引用的资料。"),
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # one of KINDS
    label: str  # short Chinese name shown to editors
    help: str  # what the field means, for the contributing page and templates
    example: str  # a YAML value as an editor would write it
    required: bool = False
    max_length: int | None = None
    ref: str | None = None  # the data/ file whose keys are the allowed values
    limit: str | None = None  # a LIMITS key: the most items a list field may hold

    @property
    def expected(self) -> str:
        """What a valid value looks like, in the words of the error messages."""
        text = KINDS[self.kind][0]
        if self.max_length:
            text += f"，最多 {self.max_length} 字"
        if self.ref:
            text += f"，取自 {REFS[self.ref][0]}"
        if self.limit:
            text += f"，最多 {LIMITS[self.limit].value} 项"
        return text


# kind -> (expected, in Chinese; JSON Schema)
KINDS: dict[str, tuple[str, dict]] = {
    "text": ("一段文字", {"type": "string", "pattern": r"\S"}),
    "bool": ("true 或 false", {"type": "boolean"}),
    "int": ("整数（公元前用负数，如 -221）", {"type": "integer"}),
    "date": ("日期，格式 YYYY-MM-DD，如 2024-05-01", {"type": "string", "pattern": DATE_PATTERN, "format": "date"}),
    "year_or_date": (
        "年份（如 1985）或日期（YYYY-MM-DD）",
        {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": DATE_PATTERN, "format": "date"}]},
    ),
    "key": ("一个已登记的键（小写拼音）", {"type": "string"}),
    "text_list": ("文字列表，每项一行，以“- ”开头", {"type": "array", "items": {"type": "string", "pattern": r"\S"}}),
    "image": ("图片路径（相对 docs/，如 assets/images/xxx.jpg）", {"type": "string", "pattern": r"\S"}),
    "sources": ("来源列表，每条至少有 title", {"type": "array"}),
    "number_list": (
        "号码列表，每项一行，以“- ”开头，号码用英文引号括起来",
        {"type": "array", "items": {"type": ["string", "integer"]}},
    ),
    "video": (
        "视频路径（相对 docs/，MP4 或 WebM，如 assets/videos/xxx.mp4）",
        {"type": "string", "pattern": r"(?i)^\S.*\.(mp4|webm)\Z"},
    ),
    "captions": (
        "字幕文件路径（相对 docs/，WebVTT 格式，如 assets/videos/xxx.vtt）",
        {"type": "string", "pattern": r"(?i)^\S.*\.vtt\Z"},
    ),
    "audio": (
        "录音文件路径（相对 docs/，在 assets/ 下，MP3、M4A、OGG 或 Opus，如 assets/audio/xxx.mp3）",
        {"type": "string", "pattern": r"(?i)^assets/\S.*\.(mp3|m4a|ogg|opus)$"},
    ),
    "phrase_map": (
        "简体短语与繁體写法的对照，每行“简体: 繁體”，两边字数相同",
        {"type": "object", "additionalProperties": {"type": "string", "pattern": r"\S"}},
    ),
}

# Fields that name a file under docs/: the check reports a missing file at the field's line.
FILE_KINDS = {"image": "图片", "video": "视频", "captions": "字幕文件", "audio": "录音"}

# field -> the fields it needs (a cover needs its description, a video its poster).
DEPENDENT_REQUIRED = {"cover": ["cover_alt"], "video": ["video_poster"], "audio": ["audio_transcript"]}

# data file -> (its path, what one of its keys is called)
REFS = {
    "unit_types": ("data/unit-types.yml", "单元类型"),
    "townships": ("data/townships.yml", "乡镇"),
    "eras": ("data/eras.yml", "朝代"),
}

SOURCE_FIELDS = (
    Field("title", "text", "来源标题", "书名、文章名或网页标题。", "《慈利县志》（民国十二年铅印本）", required=True),
    Field("author", "text", "作者", "作者或编者。", "田兴奎修，吴恭亨纂"),
    Field("publisher", "text", "出版者", "出版社、报刊或网站名。", "人民日报海外版"),
    Field("year", "int", "年份", "出版或发布年份。", "1923"),
    Field("url", "text", "网址", "网页地址，以 https:// 开头。", "https://example.org/article"),
    Field("page", "text", "页码", "引用所在页码或卷次。", "卷八 财政"),
)

COMMON_FIELDS = (
    Field("title", "text", "标题", "故事标题，显示在页面顶部和列表中。", "袁任远：两袖清风", required=True),
    Field(
        "summary",
        "text",
        "摘要",
        "一两句话的摘要，用于列表、搜索结果和分享。",
        "一句话说清这篇故事。",
        required=True,
        max_length=SUMMARY_MAX,
    ),
    Field("tags", "text_list", "标签", "关键词，读者可按标签浏览。", "[家风, 廉洁]", limit="tags"),
    Field("cover", "image", "封面图", "封面图片，放在 docs/assets/images/ 下。", "assets/images/yuan-renyuan.jpg"),
    Field("cover_alt", "text", "封面说明", "封面图片的文字说明（给看不见图片的读者）；有封面时必填。", "袁任远像"),
    Field(
        "video",
        "video",
        "视频",
        "清廉视频展播：本地视频文件，放在 docs/assets/videos/ 下；必须同时有 video_poster。"
        "展厅触摸屏在待机轮播中静音自动播放。",
        "assets/videos/xiangshi-moshi.mp4",
    ),
    Field(
        "video_poster", "image", "视频封面", "视频播放前显示的图片；有视频时必填。", "assets/videos/xiangshi-moshi.jpg"
    ),
    Field(
        "video_captions",
        "captions",
        "视频字幕",
        "视频的中文字幕（WebVTT .vtt 文件），给听不见声音的观众。",
        "assets/videos/xiangshi-moshi.vtt",
    ),
    Field(
        "audio",
        "audio",
        "录音",
        f"录音（如家人朗读家书、单位访谈）：放在 docs/assets/audio/ 下，不超过 {AUDIO_MAX_KB} KB；"
        "必须同时有 audio_transcript。",
        "assets/audio/bao-zheng-jiaxun.mp3",
    ),
    Field(
        "audio_transcript",
        "text",
        "录音文字稿",
        "录音的全部文字，给听不见或不方便放声音的读者；有录音时必填。多段用 `|` 换行书写。",
        "录音里说的每一句话，照原话写在这里。",
    ),
    Field(
        "classical",
        "bool",
        "文言原文",
        "true 表示正文含文言原文：python hooks/check.py --hant 会列出繁體版里每个一简对多繁的字，供审稿核对。",
        "true",
    ),
    Field(
        "hant",
        "phrase_map",
        "繁体例外",
        "本篇繁體版的转换例外，优先于 data/hant-phrases.yml，如文言第一人称“余”不转成“餘”。",
        "{余为: 余為}",
    ),
    Field("featured", "bool", "推荐", "true 时在首页推荐。", "false"),
    Field("date", "date", "发布日期", "发布或整理日期。", "2024-05-01"),
    Field("draft", "bool", "草稿", "true 时不发布到网站。", "false"),
    Field("unverified", "bool", "史实待核实", "true 时页面显示“史实待核实”；未经核实的史料必须标注。", "false"),
    Field(
        "unverified_basis",
        "text",
        "核实依据",
        "史实待核实时：哪些说法只有一个来源、依据的是什么。显示在核实台账上。",
        "这一说法只见于一篇网页文章，未找到出版物。",
    ),
    Field(
        "unverified_needs",
        "text",
        "待核事项",
        "史实待核实时：什么资料能证实或否定它（如另一份独立的公开资料、县志原文、档案）。显示在核实台账上。",
        "另一份独立的公开资料，或原文的出版物。",
    ),
    Field(
        "allow_numbers",
        "number_list",
        "可公开的号码",
        "检查会把手机号、身份证号、银行卡号和邮箱当作个人信息拦下；确实要公开的（如单位对外电话、公开邮箱），"
        "把它原样写在这里，检查就不再报告它。个人的号码不要写。",
        '["13800000000"]',
    ),
    Field(
        "sources",
        "sources",
        "资料来源",
        "资料出处列表，每条写 title，可加 author、publisher、year、url、page。",
        "\n  - title: 《慈利县志》（民国十二年铅印本）\n    author: 田兴奎修，吴恭亨纂\n    year: 1923\n    page: 卷八 财政",
        limit="sources",
    ),
)


@dataclass(frozen=True)
class Collection:
    key: str  # folder under stories/ and first part of the URL
    name: str  # 清官廉吏
    short: str  # 官吏: used in search results and badges
    description: str
    fields: tuple[Field, ...]
    sources_required: bool = False
    consent_or_sources: bool = False  # letters: a living writer's consent, or a historical source

    @property
    def all_fields(self) -> tuple[Field, ...]:
        return COMMON_FIELDS + self.fields

    def field(self, name: str) -> Field | None:
        return next((f for f in self.all_fields if f.name == name), None)


COLLECTIONS: dict[str, Collection] = {
    c.key: c
    for c in (
        Collection(
            "officials",
            "清官廉吏",
            "官吏",
            "慈利人物和历代清官廉吏的故事，每篇都注明资料来源。",
            (
                Field("name", "text", "姓名", "人物姓名。", "袁任远", required=True),
                Field(
                    "era", "key", "时代", "人物所处时代，取自 data/eras.yml。", "xinzhongguo", required=True, ref="eras"
                ),
                Field("born", "int", "生年", "出生年份（公元前用负数）。", "1898"),
                Field("died", "int", "卒年", "去世年份。", "1986"),
                Field("office", "text", "官职", "主要职务。", "中共中央纪委副书记"),
                Field(
                    "township",
                    "key",
                    "乡镇",
                    "籍贯或事迹所在乡镇，取自 data/townships.yml。",
                    "sanguansi",
                    ref="townships",
                ),
            ),
            sources_required=True,
        ),
        Collection(
            "letters",
            "清廉家书",
            "家书",
            "清廉家书与家训：历史家书注明出处，今人来信须本人同意公开。",
            (
                Field("author", "text", "写信人", "写信人，可以用笔名。", "诸葛亮", required=True),
                Field("relation", "text", "关系", "写信人与收信人的关系。", "父亲写给儿子"),
                Field("written", "year_or_date", "写信时间", "写信的年份或日期。", "2023"),
                Field(
                    "township", "key", "乡镇", "写信人所在乡镇，取自 data/townships.yml。", "lingyang", ref="townships"
                ),
                Field("consent", "bool", "同意公开", "今人来信：写信人同意公开时写 true。", "true"),
            ),
            consent_or_sources=True,
        ),
        Collection(
            "units",
            "清廉单元",
            "单元",
            "十个清廉单元的创建实践与示范点。",
            (
                Field("unit", "text", "单位名称", "单位或组织的名称。", "象市镇", required=True),
                Field(
                    "unit_type",
                    "key",
                    "单元类型",
                    "十个清廉单元之一，取自 data/unit-types.yml。",
                    "village",
                    required=True,
                    ref="unit_types",
                ),
                Field(
                    "township", "key", "乡镇", "单位所在乡镇，取自 data/townships.yml。", "xiangshi", ref="townships"
                ),
                Field("demonstration", "bool", "示范点", "true 表示清廉建设示范点。", "false"),
                Field("year", "int", "年份", "创建或报道年份。", "2022"),
                Field(
                    "highlights", "text_list", "亮点", "几条简短的做法或成效。", "[村级财务规范化]", limit="highlights"
                ),
            ),
        ),
    )
}

# ---- data/ files ----------------------------------------------------------------------------

UNIT_TYPE_KEYS = ("organ", "village", "school", "hospital", "enterprise", "park", "chamber", "family", "scenic", "hall")
TOWNSHIP_KINDS = ("镇", "街道", "乡", "土家族乡")

# One entry of a `sources` list, for stories and data/ alike.
SOURCE_ITEM_SCHEMA = {
    "type": "object",
    "required": [s.name for s in SOURCE_FIELDS if s.required],
    "properties": {s.name: KINDS[s.kind][1] for s in SOURCE_FIELDS},
}

# "09:00"; YAML reads an unquoted 17:00 as the number 1020 (minutes), which is accepted as the same time
CLOCK_TIME = {
    "anyOf": [
        {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"},
        {"type": "integer", "minimum": 0, "maximum": 1439},
    ]
}
_NAMED = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "pattern": r"\S"}}}

DATA_SCHEMAS: dict[str, dict] = {
    "unit-types.yml": {
        "type": "object",
        "required": list(UNIT_TYPE_KEYS),
        "propertyNames": {"enum": list(UNIT_TYPE_KEYS)},
        "additionalProperties": {
            "type": "object",
            "required": ["name", "description"],
            "properties": {"name": {"type": "string"}, "description": {"type": "string"}},
        },
    },
    "townships.yml": {
        "type": "object",
        "propertyNames": {"pattern": SLUG_PATTERN},
        "additionalProperties": {
            **_NAMED,
            "required": ["name", "kind"],
            "properties": {
                **_NAMED["properties"],
                "kind": {"enum": list(TOWNSHIP_KINDS)},
                # What is known of the township, shown on its page: only with the sources it rests on.
                "description": {"type": "string", "pattern": r"\S"},
                "sources": {"type": "array", "minItems": 1, "items": SOURCE_ITEM_SCHEMA},
                "unverified": {"type": "boolean"},
                # A former township: its successors' keys. Its page stays (old links and stories resolve)
                # and says what it became; it is left out of every count of today's townships.
                "successors": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": SLUG_PATTERN}},
            },
            "additionalProperties": False,
            "dependentRequired": {"description": ["sources"]},
        },
    },
    "eras.yml": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["key", "name", "start", "end"],
            "properties": {
                "key": {"type": "string", "pattern": SLUG_PATTERN},
                "name": {"type": "string"},
                "start": {"type": "integer"},
                "end": {"type": ["integer", "null"]},
            },
        },
    },
    # The project's Simplified→Traditional exceptions (qinglian/content/hant.py): 简体短语: 繁體写法.
    "hant-phrases.yml": {"anyOf": [{"type": "null"}, KINDS["phrase_map"][1]]},
    "site.yml": {
        "type": "object",
        "required": ["campaign"],
        "properties": {
            "campaign": {
                "type": "object",
                "required": ["demonstration_target"],
                "properties": {"demonstration_target": {"type": "integer", "minimum": 0}},
            },
            "idle_seconds": {"type": "integer", "minimum": 5},
            "kiosk": {  # the exhibition kiosk (hooks/qinglian/kiosk/edition.py, kiosk/README.md)
                "type": "object",
                "properties": {
                    "still_there_seconds": {"type": "integer", "minimum": 3},
                    "opens": CLOCK_TIME,
                    "closes": CLOCK_TIME,
                    "open_days": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
                    "staff_pin_sha256": {"type": "string", "pattern": r"^[0-9a-f]{16,}\$[0-9a-f]{64}$"},
                },
            },
            "page_size": {"type": "integer", "minimum": 1},
            # where the 投稿 page sends letters (a mailto: link); without it readers download or copy the file
            "submission_email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"},
            # the footer's facts, each shown only when set (never a made-up registration number)
            "footer": {
                "type": "object",
                "properties": {k: {"type": "string"} for k in ("organizer", "contact", "icp", "icp_url")},
            },
            # lines quoted on the home page and the kiosk's attract loop; the build checks each against its story
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["story", "text"],
                    "properties": {"story": {"type": "string"}, "text": {"type": "string", "minLength": 2}},
                },
            },
        },
    },
}


def story_schema(collection: Collection, keys: dict[str, list[str]]) -> dict:
    """JSON Schema of a story's front matter; `keys` holds the allowed keys of each data/ file."""
    properties = {}
    for f in collection.all_fields:
        schema = dict(KINDS[f.kind][1])
        if f.max_length:
            schema["maxLength"] = f.max_length
        if f.limit:
            schema["maxItems"] = LIMITS[f.limit].value
        if f.ref and f.ref in keys:  # a data file with problems is reported itself; its keys are not checked
            schema["enum"] = list(keys[f.ref])
        if f.kind == "sources":
            schema["items"] = SOURCE_ITEM_SCHEMA
            if collection.sources_required:
                schema["minItems"] = 1
        properties[f.name] = schema
    return {
        "type": "object",
        "required": [f.name for f in collection.all_fields if f.required]
        + (["sources"] if collection.sources_required else []),
        "properties": properties,
        "dependentRequired": DEPENDENT_REQUIRED,
    }
