"""Synthetic stories for benchmarks and scale tests — never site content.

    write_stories(root, n, seed=0) -> list[Path]

writes `n` obviously synthetic stories (titles 测试故事第1234篇, names 测试人物1234, bodies shuffled from a
neutral generated vocabulary) into `root/stories/<collection>/`, spread over all three collections, with
tags, townships, unit types and eras taken from the keys of `root/data/*.yml`. The front matter is derived
from the content contract (hooks/qinglian/content/contract.py): every required field of a collection is filled,
so a field made required later is filled too (by its kind), and the stories pass `load_content`.

`root` is a copy of the project (see `copy_project`); the real stories already there are left alone.
Slugs are `ceshi-00001` … so they never collide with real stories. The same (n, seed) gives the same files.

Shared by the tests (tests/conftest.py: copy_project) and the benchmarks (bench/): neither imports the other.
"""

from __future__ import annotations

import math
import random
import shutil
from pathlib import Path

from qinglian.content.contract import COLLECTIONS, SUMMARY_MAX, Collection, Field
from qinglian.content.load import load_data

REPO = Path(__file__).resolve().parent.parent

__all__ = ["write_stories", "copy_project", "SHARES"]

# How the stories are spread over the collections (units are the bulk of a county's archive).
SHARES = {"units": 0.5, "letters": 0.3, "officials": 0.2}
FEATURED = 6  # a constant number of featured stories, whatever n: the home page stays one size
BODY_MIN, BODY_MAX = 300, 3000  # characters of body text

PROJECT_FILES = ("mkdocs.yml", "kiosk.yml")
PROJECT_DIRS = ("hooks", "stories", "data", "docs")

# A neutral vocabulary: ordinary words with no names of people, places, organisations or events.
_NOUNS = [
    "制度",
    "规范",
    "流程",
    "清单",
    "档案",
    "表格",
    "记录",
    "窗口",
    "会议",
    "材料",
    "资料",
    "台账",
    "公告",
    "栏目",
    "展板",
    "书架",
    "课堂",
    "教室",
    "操场",
    "走廊",
    "院子",
    "道路",
    "桥梁",
    "河流",
    "山林",
    "茶园",
    "果园",
    "田地",
    "菜地",
    "水渠",
    "路灯",
    "广场",
    "长廊",
    "墙面",
    "屋檐",
    "石阶",
    "木门",
    "灯笼",
    "书信",
    "笔记",
    "家风",
    "家训",
    "家规",
    "格言",
    "故事",
    "诗句",
    "对联",
    "字画",
    "板报",
    "手册",
    "事项",
    "意见",
    "建议",
    "办法",
    "方案",
    "计划",
    "目标",
    "任务",
    "步骤",
    "环节",
    "时间",
    "早晨",
    "傍晚",
    "春天",
    "夏天",
    "秋天",
    "冬天",
    "季节",
    "日子",
    "年份",
    "月份",
    "邻居",
    "同事",
    "老师",
    "学生",
    "孩子",
    "父母",
    "长辈",
    "晚辈",
    "朋友",
]
_VERBS = [
    "学习",
    "整理",
    "公开",
    "记录",
    "讨论",
    "检查",
    "核对",
    "修改",
    "完善",
    "落实",
    "坚持",
    "提醒",
    "交流",
    "分享",
    "阅读",
    "抄写",
    "张贴",
    "布置",
    "打扫",
    "种植",
    "浇灌",
    "修补",
    "清点",
    "登记",
    "归档",
    "汇总",
    "说明",
    "解释",
    "回答",
    "倾听",
    "商量",
    "约定",
    "遵守",
    "传承",
    "珍惜",
    "节约",
    "爱护",
    "帮助",
    "陪伴",
    "问候",
]
_ADJS = [
    "认真",
    "简单",
    "清楚",
    "朴素",
    "安静",
    "整洁",
    "明亮",
    "干净",
    "细致",
    "耐心",
    "踏实",
    "平常",
    "普通",
    "公开",
    "透明",
    "规范",
    "按时",
    "完整",
]
_GLUE = [
    "的",
    "在",
    "和",
    "也",
    "都",
    "又",
    "把",
    "从",
    "向",
    "对",
    "为",
    "就",
    "还",
    "再",
    "一起",
    "每天",
    "常常",
    "慢慢",
    "一直",
    "于是",
    "然后",
    "因此",
    "同时",
]
_TAGS = [
    "家风",
    "家训",
    "廉洁",
    "节俭",
    "公开",
    "监督",
    "制度",
    "学习",
    "教育",
    "服务",
    "传承",
    "诚信",
    "勤劳",
    "规范",
    "读书",
    "书信",
    "作风",
    "基层",
    "乡村",
    "校园",
    "窗口",
    "台账",
    "清单",
    "公示",
    "议事",
    "档案",
    "展览",
    "课堂",
    "宣传",
    "文化",
]


def copy_project(dest: Path, repo: Path = REPO, extra: tuple[str, ...] = ()) -> Path:
    """Copy mkdocs.yml, kiosk.yml, hooks/, stories/, data/, docs/ and any `extra` names (no caches) of `repo`
    into `dest`; return `dest`. The benchmarks and the tests (tests/conftest.py) both use this one."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if not (repo / "mkdocs.yml").is_file():
        raise FileNotFoundError(f"copy_project: {repo / 'mkdocs.yml'} is missing")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*PROJECT_FILES, *PROJECT_DIRS, *extra):
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


def write_stories(root: Path, n: int, seed: int = 0) -> list[Path]:
    """Write `n` synthetic stories into `root/stories/`; return their paths (in number order)."""
    root = Path(root)
    data, problems = load_data(root)
    if problems:
        raise ValueError(f"{root}/data is not valid: {problems[0]}")
    keys = {
        "unit_types": list(data.unit_types),
        "townships": list(data.townships),
        "eras": [e["key"] for e in data.eras],
    }
    rng = random.Random(seed)
    tag_pool = _tag_pool(n)
    tag_weights = [1 / (rank + 1) for rank in range(len(tag_pool))]  # Zipf: a few big tags, a long tail
    plan = _collection_plan(n, rng)
    paths = []
    for number, key in enumerate(plan, start=1):
        collection = COLLECTIONS[key]
        gen = _Story(rng, number, collection, keys, data.eras, tag_pool, tag_weights)
        folder = root / "stories" / key
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"ceshi-{number:05d}.md"
        path.write_text(gen.text(featured=number <= FEATURED), encoding="utf-8")
        paths.append(path)
    return paths


def _collection_plan(n: int, rng: random.Random) -> list[str]:
    counts = {key: int(n * share) for key, share in SHARES.items()}
    counts["units"] += n - sum(counts.values())
    plan = [key for key, count in counts.items() for _ in range(count)]
    rng.shuffle(plan)
    return plan


def _tag_pool(n: int) -> list[str]:
    """The tags in use grow with the archive: a fixed core plus a long tail of numbered test tags."""
    return list(_TAGS) + [f"测试标签{k}" for k in range(1, max(10, n // 25) + 1)]


class _Story:
    def __init__(self, rng, number, collection: Collection, keys, eras, tag_pool, tag_weights):
        self.rng, self.number, self.collection, self.keys, self.eras = rng, number, collection, keys, eras
        self.tag_pool, self.tag_weights = tag_pool, tag_weights

    # -- front matter, derived from the contract ------------------------------------------------
    def meta(self, featured: bool) -> dict:
        rng, n = self.rng, self.number
        values = {
            "title": f"测试故事第{n}篇",
            "summary": _clip(f"测试摘要第{n}篇：" + self.sentence(), SUMMARY_MAX),
            "tags": self._tags(),
            "featured": featured,
            "date": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "draft": False,
            "unverified": rng.random() < 0.05,
            "sources": [{"title": f"测试资料第{n}号", "publisher": "性能测试生成器", "year": rng.randint(1950, 2026)}],
            # officials
            "name": f"测试人物{n}",
            "era": rng.choice(self.keys["eras"]),
            "office": "测试职务",
            # letters
            "author": f"测试写信人{n}",
            "relation": "测试关系",
            "written": rng.randint(1990, 2026),
            "consent": True,
            # units
            "unit": f"测试单位第{n}号",
            "unit_type": rng.choice(self.keys["unit_types"]),
            "demonstration": rng.random() < 0.1,
            "year": rng.randint(2018, 2026),
            "highlights": [_clip(self.sentence(), 30) for _ in range(rng.randint(2, 4))],
            "township": rng.choice(self.keys["townships"]),
        }
        if self.collection.key == "officials":
            era = next(e for e in self.eras if e["key"] == values["era"])
            end = era["end"] if era["end"] is not None else 2000
            values["born"] = rng.randint(era["start"], max(era["start"], end - 30))
            values["died"] = max(values["born"] + 1, min(values["born"] + rng.randint(30, 90), 2025))
        meta = {}
        for f in self.collection.all_fields:  # the contract decides which fields a collection has
            if f.name in ("cover", "cover_alt"):
                continue  # a cover needs an image file; the bench measures text pages
            if f.name in values:
                meta[f.name] = values[f.name]
            elif f.required:
                meta[f.name] = self._by_kind(f)
        return meta

    def _by_kind(self, f: Field):
        """A value for a required field this generator has not heard of, from its kind."""
        rng = self.rng
        if f.ref:
            return rng.choice(self.keys[f.ref])
        return {
            "text": f"测试{f.label}{self.number}",
            "bool": False,
            "int": rng.randint(1990, 2026),
            "date": "2024-01-01",
            "year_or_date": 2024,
            "key": "ceshi",
            "text_list": [f"测试{f.label}"],
            "sources": [{"title": f"测试资料第{self.number}号"}],
        }.get(f.kind, f"测试{f.label}")

    def _tags(self) -> list[str]:
        count = self.rng.randint(1, 5)
        tags = []
        while len(tags) < count:
            tag = self.rng.choices(self.tag_pool, self.tag_weights)[0]
            if tag not in tags:
                tags.append(tag)
        return tags

    # -- body -----------------------------------------------------------------------------------
    def sentence(self) -> str:
        rng, chunks = self.rng, []
        for _ in range(rng.randint(4, 9)):
            adj = rng.choice(_ADJS) if rng.random() < 0.3 else ""
            chunks.append(adj + rng.choice(_NOUNS) + rng.choice(_GLUE) + rng.choice(_VERBS))
        if len(chunks) > 5:
            cut = rng.randint(2, len(chunks) - 2)
            chunks[cut] = "，" + chunks[cut]
        return "".join(chunks) + "。"

    def body(self) -> str:
        rng = self.rng
        # lengths spread log-uniformly: many short stories, some long ones
        target = int(math.exp(rng.uniform(math.log(BODY_MIN), math.log(BODY_MAX))))
        parts = ["本文是性能测试自动生成的虚构文本，词语随机组合，不描述任何真实的人物、单位或事件。"]
        size, section = len(parts[0]), 0
        while size < target:
            if size > 200 and rng.random() < 0.15:
                section += 1
                parts.append(f"## 第{section}部分")
            kind = rng.random()
            if kind < 0.08:
                block = "\n".join(f"- {_clip(self.sentence(), 24)}" for _ in range(rng.randint(2, 4)))
            elif kind < 0.12:
                block = "> " + self.sentence()
            else:
                block = "".join(self.sentence() for _ in range(rng.randint(2, 5)))
            parts.append(block)
            size += len(block)
        return "\n\n".join(parts) + "\n"

    def text(self, featured: bool) -> str:
        return "---\n" + _yaml(self.meta(featured)) + "---\n\n" + self.body()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "。"


def _yaml(meta: dict) -> str:
    """Front matter as an editor writes it (flow lists for tags, block lists for sources/highlights)."""
    import json

    lines = []
    for key, value in meta.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif isinstance(value, str):
            lines.append(f"{key}: {value}" if key == "date" else f"{key}: {json.dumps(value, ensure_ascii=False)}")
        elif key == "tags":
            lines.append(f"{key}: [{', '.join(value)}]")
        elif value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                first = True
                for k, v in item.items():
                    v = json.dumps(v, ensure_ascii=False) if isinstance(v, str) else v
                    lines.append(f"  {'- ' if first else '  '}{k}: {v}")
                    first = False
        else:
            lines.append(f"{key}:")
            lines += [f"  - {json.dumps(v, ensure_ascii=False)}" for v in value]
    return "\n".join(lines) + "\n"
