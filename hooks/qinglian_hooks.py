"""MkDocs entry points of the 清廉慈利 generator — thin on purpose.

The content model, the checks and the page plan live in the `qinglian` package beside this file and
are importable without MkDocs. This module only moves their results into MkDocs, one function per
event, in lifecycle order.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import CountHandler

from qinglian.build import incremental, link_messages, parallel
from qinglian.content import editor_docs
from qinglian.content.load import unexpected
from qinglian.content.problems import ContentError, format_report
from qinglian.kiosk import edition as kiosk
from qinglian.outputs import csp, editions, offline, search
from qinglian.site import fragments as fragments_module
from qinglian.site import seo, ui
from qinglian.site.pages import SitePlan, plan_site
from qinglian.site.sanitize import sanitize_story_html

log = logging.getLogger("mkdocs.hooks.qinglian")

_state: dict = {"command": None, "plan": None, "final_site_dir": None, "dirty": None, "stories": {}}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    _state["dirty"] = incremental.DirtyState() if command == "serve" and dirty else None  # `mkdocs serve --dirty`
    if _state["dirty"]:
        incremental.quiet_dirty_warning()


def on_config(config):
    root = Path(config.config_file_path).parent
    try:
        _state["plan"] = plan_site(root, cache=_state["stories"])  # serve: unchanged stories are not re-read
    except ContentError as err:  # every problem in every file, located, without a traceback
        raise PluginError(str(err)) from None
    except Exception as err:  # noqa: BLE001 — the checks guard each file; this is the last guard, no traceback
        raise PluginError(format_report([unexpected(".", err)])) from None
    link_messages.install(_resolve_source_file(root, config))  # MkDocs' link warnings, for the file editors edit
    if not config.repo_url:
        config.edit_uri = None  # a local preview has no repository to edit in
    if _state["command"] in ("build", "gh-deploy"):
        _resolve_staging_dir(config)
    if kiosk.enabled(config) and (no_qr := kiosk.missing_public_address(kiosk.public_site(config))):
        log.info(no_qr)
    return config


def on_files(files, config):
    plan: SitePlan = _state["plan"]
    for page in plan.pages.values():
        if files.get_file_from_path(page.src_uri):
            raise PluginError(f"docs/{page.src_uri}: 这个地址由生成器使用，请删除或改名这个手写文件。")
        if page.source:
            file = File.generated(
                config, page.src_uri, abs_src_path=str(page.source), inclusion=InclusionLevel.NOT_IN_NAV
            )
        else:
            file = File.generated(config, page.src_uri, content=page.markdown(), inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
    for path, data in plan.generated_files(config.site_url).items():  # exports and feeds
        files.append(File.generated(config, path, content=data))
    if _state["dirty"]:  # re-render only the pages whose content changed (qinglian/build/incremental.py)
        rebuilt, total = incremental.mark_pages(files, plan, Path(config.config_file_path).parent, _state["dirty"])
        log.info("增量预览：重新生成 %d / %d 个页面。", rebuilt, total)
    _resolve_page_outputs(config, files)
    return files


def on_nav(nav, config, files):
    plan: SitePlan = _state["plan"]
    _state["nav_pages"] = nav.pages
    if _state["command"] in ("build", "gh-deploy"):  # a second process renders story pages too
        stories = [f for f in files.documentation_pages() if plan.story(f.src_uri)]
        _state["split"] = parallel.split_story_pages(config, nav, files, stories, finish=_child_report)
    return nav


def on_pre_page(page, config, files):
    if _state.get("split"):
        _state["split"].include_stories()  # MkDocs has listed the pages to read; links to stories resolve
    return page


def on_env(env, config, files):
    plan: SitePlan = _state["plan"]
    env.autoescape = True  # front matter is text in every template; trusted HTML is marked |safe there
    env.globals.update(ui=ui.UI, kiosk_ui=ui.KIOSK_UI, catalog=plan.catalog, site_data=plan.content.data)
    env.globals.update(ql_csp=csp.meta_policy())  # the nginx policy, as every page's <meta> (outputs/csp.py)
    fragments = fragments_module.FragmentCache(_state["nav_pages"])  # navigation rendered once per folder
    env.globals.update(ql_fragment=fragments, ql_shell_key=fragments.shell_key)
    env.globals["ql_seo"] = seo.Signals(plan, config)  # <head> signals and the sitemap (docs/overrides)
    env.filters.update(ui.FILTERS)
    env.filters.update(search.FILTERS)
    if _state["command"] == "serve":  # templates compiled once per serve, not once per rebuild
        env.bytecode_cache = _state.setdefault("templates", incremental.template_cache())
    _state["env"] = env  # the parent renders its share of the stories with it in on_post_build
    if _state.get("split"):  # (in the child it is None: the child never returns from split_story_pages)
        _state["split"].exclude_stories()  # MkDocs is about to list the pages to write: not the stories
    return env


def on_template_context(context, template_name, config):
    if template_name == "sitemap.xml" and _state.get("split"):
        context["pages"] = _state["split"].sitemap_pages(context["pages"], _state["files"])
    return context


def on_page_markdown(markdown, page, config, files):
    plan: SitePlan = _state["plan"]
    if plan.story(page.file.src_uri):
        page.meta["template"] = "story.html"
    if kiosk.enabled(config) and kiosk.home_template(page.file.src_uri):
        page.meta["template"] = kiosk.home_template(page.file.src_uri)
    return editor_docs.expand_placeholders(markdown)


def on_page_content(html, page, config, files):
    plan: SitePlan = _state["plan"]
    if plan.story(page.file.src_uri) or not page.file.generated_by:  # stories and docs/*.md: both by pull request
        html = sanitize_story_html(html, page.toc)  # editors' raw HTML: a safe allowlist; ids prefixed
    return html


def on_page_context(context, page, config, nav):
    plan: SitePlan = _state["plan"]
    context.update(plan.context_for(page.file.src_uri))
    story = plan.story(page.file.src_uri)
    if story:
        page.edit_url = _resolve_edit_url(config, story.rel)
    elif page.file.generated_by:
        page.edit_url = None  # generated from the catalog: there is no file to edit
    if kiosk.enabled(config):
        context.update(kiosk.page_context(plan, page.file.src_uri, kiosk.public_site(config)))
    return context


def on_post_page(output, page, config):
    if kiosk.enabled(config):
        output = kiosk.rewrite_external_links(output)
    if _state["mirror"]:
        _state["mirror"].add(page.file.dest_uri, output)  # its 繁體 page under zh-hant/
    if _state["index"]:
        _state["index"].add(page.file.dest_uri, output)  # its copy for the search index
    return output


def on_post_build(config):
    split, site_dir = _state.get("split"), Path(config.site_dir)
    if split:
        split.render_remaining(_state["env"])  # the stories the second process has not taken yet
        _merge_child_report(split)
    offline.localise_theme_scripts(site_dir)  # Material's bundle would fetch from unpkg.com
    if _state["mirror"]:
        mirror = _state["mirror"].finish()
        log.info("繁体版：%d 页，每页 %.1f 毫秒。", mirror.pages, mirror.ms_per_page)
    if _state["index"]:
        search.build_index(site_dir, _state["index"])  # before the swap; a preview indexes once
    if _state["dirty"]:
        incremental.build_done(_state["dirty"])
    final = _state["final_site_dir"]
    if not final:
        return
    if config.strict and _strict_warnings():
        log.error("有警告（--strict），新网站未替换上一次成功构建的 %s。", final)  # MkDocs aborts right after,
        return  # and on_build_error removes the staging folder
    _swap_in(Path(config.site_dir), Path(final))


def on_build_error(error):
    if _state.get("split"):
        _state["split"].abort()
    if _state.get("index"):
        _state["index"].remove()
    final, staging = _state["final_site_dir"], _state.get("staging_dir")
    if final:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)  # the half-built site is of no use to anyone
        log.error("构建失败，上一次成功构建的网站保留在 %s，未被改动。", final)


# ---- helpers -------------------------------------------------------------------------------


def _resolve_staging_dir(config) -> None:
    """Build into `<site_dir>.building`; the last good site is replaced only when the build succeeds."""
    final = Path(config.site_dir)
    staging = final.with_name(final.name + ".building")
    if staging.exists():
        shutil.rmtree(staging)
    _state["final_site_dir"], _state["staging_dir"] = str(final), str(staging)
    config.site_dir = str(staging)


def _resolve_source_file(root: Path, config):
    """src_uri -> (the file editors edit, as the repository names it; its path), or None for generated pages."""
    docs_dir = Path(config.docs_dir)

    def source_of(src_uri: str):
        story = _state["plan"].story(src_uri)
        if story:
            return story.rel, story.path
        path = docs_dir / src_uri
        if path.is_file():
            return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix(), path
        return None

    return source_of


def _resolve_page_outputs(config, files) -> None:
    """What on_post_page makes of each written page: its 繁體 mirror page and its search-index copy."""
    site_dir = Path(config.site_dir)
    pages = {f.dest_uri for f in files if f.dest_uri.endswith(".html") and not f.inclusion.is_excluded()}
    # the kiosk has no 简/繁 switch, so no mirror to switch to
    plan: SitePlan = _state["plan"]
    page_phrases = {f"{s.url}index.html": s.meta["hant"] for s in plan.content.stories if s.meta.get("hant")}
    _state["mirror"] = (
        None
        if kiosk.enabled(config)
        else editions.TraditionalMirror(site_dir, config.site_url, pages, plan.content.data.hant_phrases, page_phrases)
    )
    # a preview (`mkdocs serve`) indexes once: its later rebuilds keep the first index
    first = _state["command"] != "serve" or not (site_dir / search.BUNDLE).exists()
    _state["index"] = search.IndexSource() if first else None
    _state["files"], _state["split"] = files, None


def _child_report() -> dict:
    """Runs in the second process after its last page: what the parent needs of its mirror and index work."""
    mirror, index = _state["mirror"], _state["index"]
    return {
        "mirror": [mirror.converted, mirror.seconds] if mirror else None,
        "index": index.report() if index else None,
    }


def _merge_child_report(split) -> None:
    waited = time.perf_counter()
    try:
        report = split.wait()
    except RuntimeError as err:
        raise PluginError(f"第二个生成进程失败：{err}") from None
    split.check_anchor_links(report)  # now that every story is rendered, in one process or the other
    log.info(
        "并行生成：第二个进程用 %.1f 秒生成了 %d 个故事页，本进程 %d 个（最后等它 %.1f 秒）。",
        report.get("seconds", 0),
        report.get("pages", 0),
        split.rendered_here,
        time.perf_counter() - waited,
    )
    extra = report.get("extra") or {}
    if _state["mirror"] and extra.get("mirror"):
        _state["mirror"].converted += extra["mirror"][0]
        _state["mirror"].seconds += extra["mirror"][1]
    if _state["index"] and extra.get("index"):
        _state["index"].merge(extra["index"])
    if report.get("warnings"):
        log.warning("第二个生成进程（%d 个故事页）报告了 %d 条警告，见上。", report.get("pages", 0), report["warnings"])


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter has seen a warning (it aborts after post_build)."""
    handlers = logging.getLogger("mkdocs").handlers
    return any(isinstance(h, CountHandler) and h.get_counts() for h in handlers)


def _swap_in(staging: Path, final: Path) -> None:
    previous = final.with_name(final.name + ".previous")
    if previous.exists():
        shutil.rmtree(previous)
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    if previous.exists():
        shutil.rmtree(previous)
    log.info("网站已生成：%s", final)


def _resolve_edit_url(config, rel: str) -> str | None:
    """Edit links open the story's own file: edit_uri points at docs/, so swap docs/ for the story's path."""
    if not config.repo_url or not config.edit_uri:
        return None
    edit_root = config.edit_uri.rstrip("/").removesuffix("docs").rstrip("/")
    return f"{config.repo_url.rstrip('/')}/{edit_root.lstrip('/')}/{rel}"
