"""MkDocs entry points of the 清廉慈利 generator.

The content model, the checks and the page plan live in the `qinglian` package beside this file and are
importable without MkDocs. `QinglianBuild` holds what one process remembers between events (and, under
`mkdocs serve`, between rebuilds) in declared fields, with one method per MkDocs event in lifecycle order;
the module-level `on_*` names MkDocs looks for are those methods. Only public MkDocs API is used: events,
`File.generated`, the config and the template context.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from qinglian.build import incremental, links
from qinglian.build.publish import Publication, PublishError, os_error_message
from qinglian.content import editor_docs
from qinglian.content.load import unexpected
from qinglian.content.problems import ContentError, format_report
from qinglian.kiosk import edition as kiosk
from qinglian.outputs import csp, editions, offline, search
from qinglian.site import seo, ui
from qinglian.site.pages import SitePlan, plan_site
from qinglian.site.sanitize import sanitize_story_html

log = logging.getLogger("mkdocs.hooks.qinglian")


@dataclass
class QinglianBuild:
    # for the life of the process (`mkdocs serve`: across rebuilds)
    command: str | None = None  # build, gh-deploy or serve
    dirty: incremental.DirtyState | None = None  # `mkdocs serve --dirty`: which pages changed
    story_cache: dict = field(default_factory=dict)  # unchanged story files are not re-read
    templates: object | None = None  # serve: Jinja bytecode, compiled once
    # for one build
    plan: SitePlan | None = None
    publication: Publication | None = None  # build: the lock, the staging folder, the swap (on_shutdown)
    built: bool = False  # on_post_build ran: MkDocs' strict-mode check is all that is left
    config: object | None = None  # this build's MkDocs config (gh-deploy publishes its site_dir)
    mirror: editions.TraditionalMirror | None = None  # the 繁體 pages, written as pages are
    index: search.IndexSource | None = None  # the search index's copy of each page

    def on_startup(self, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = incremental.DirtyState() if command == "serve" and dirty else None

    def on_shutdown(self) -> None:
        """`mkdocs build` / `gh-deploy` end here, also after MkDocs' strict-mode check raised (then
        on_build_error has abandoned the staging folder already): only a finished build replaces the site."""
        if self.dirty:
            self.dirty.remove()
        publication, self.publication = self.publication, None
        if not publication:
            return
        if not self.built:  # interrupted (Ctrl-C) between events: keep the last good site
            publication.abandon()
            return
        try:
            publication.swap_in()
        except PublishError as err:
            raise PluginError(str(err)) from None
        self.config.site_dir = str(publication.final)  # what `gh-deploy` publishes after the build
        log.info("网站已生成：%s", publication.final)

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        try:
            self.plan = plan_site(root, cache=self.story_cache)
        except ContentError as err:  # every problem in every file, located, without a traceback
            raise PluginError(str(err)) from None
        except Exception as err:  # noqa: BLE001 — the checks guard each file; this is the last guard, no traceback
            raise PluginError(format_report([unexpected(".", err)])) from None
        if not config.repo_url:
            config.edit_uri = None  # a local preview has no repository to edit in
        self.built, self.config = False, config
        if self.command in ("build", "gh-deploy"):  # one build at a time, into a staging folder of its own
            try:
                self.publication = Publication.begin(Path(config.site_dir))
            except PublishError as err:
                raise PluginError(str(err)) from None
            config.site_dir = str(self.publication.staging)
        if kiosk.enabled(config):
            config.nav = kiosk.nav_without(config.nav, config.exclude_docs.match_file)  # less excluded pages
            if no_qr := kiosk.missing_public_address(kiosk.public_site(config)):
                log.info(no_qr)
        return config

    def on_files(self, files, config):
        plan = self.plan
        docs = [(f.src_uri, Path(f.abs_src_path)) for f in files.documentation_pages() if not f.generated_by]
        for page in plan.pages.values():
            if files.get_file_from_path(page.src_uri):
                raise PluginError(f"docs/{page.src_uri}: 这个地址由生成器使用，请删除或改名这个手写文件。")
        if self.dirty:  # serve --dirty: MkDocs re-renders the pages whose source is newer than their output
            self._add_dirty_pages(files, config)
        else:
            for page in plan.pages.values():
                if page.source:
                    file = File.generated(
                        config, page.src_uri, abs_src_path=str(page.source), inclusion=InclusionLevel.NOT_IN_NAV
                    )
                else:
                    file = File.generated(
                        config, page.src_uri, content=page.markdown(), inclusion=InclusionLevel.NOT_IN_NAV
                    )
                files.append(file)
        for path, data in plan.generated_files(config.site_url).items():  # exports and feeds
            files.append(File.generated(config, path, content=data))
        self._check_links(files, config, docs)
        self._plan_outputs(files, config)
        return files

    def on_env(self, env, config, files):
        plan = self.plan
        env.autoescape = True  # front matter is text in every template; trusted HTML is marked |safe there
        env.globals.update(ui=ui.UI, kiosk_ui=ui.KIOSK_UI, catalog=plan.catalog, site_data=plan.content.data)
        env.globals.update(ql_csp=csp.meta_policy())  # the nginx policy, as every page's <meta> (outputs/csp.py)
        env.globals["ql_seo"] = seo.Signals(plan, config)  # <head> signals and the sitemap (docs/overrides)
        env.filters.update(ui.FILTERS)
        env.filters.update(search.FILTERS)
        if self.command == "serve":  # templates compiled once per serve, not once per rebuild
            self.templates = self.templates or incremental.template_cache()
            env.bytecode_cache = self.templates
        return env

    def on_page_markdown(self, markdown, page, config, files):
        if self.plan.story(page.file.src_uri):
            page.meta["template"] = "story.html"
        if kiosk.enabled(config) and kiosk.home_template(page.file.src_uri):
            page.meta["template"] = kiosk.home_template(page.file.src_uri)
        return editor_docs.expand_placeholders(markdown)

    def on_page_content(self, html, page, config, files):
        if self.plan.story(page.file.src_uri) or not page.file.generated_by:  # stories and docs/*.md: by pull request
            html = sanitize_story_html(html, page.toc)  # editors' raw HTML: a safe allowlist; ids prefixed
        return html

    def on_page_context(self, context, page, config, nav):
        plan = self.plan
        context.update(plan.context_for(page.file.src_uri))
        story = plan.story(page.file.src_uri)
        if story:
            page.edit_url = _edit_url(config, story.rel)
        elif page.file.generated_by:
            page.edit_url = None  # generated from the catalog: there is no file to edit
        if kiosk.enabled(config):
            context.update(kiosk.page_context(plan, page.file.src_uri, kiosk.public_site(config)))
        return context

    def on_post_page(self, output, page, config):
        if kiosk.enabled(config):
            output = kiosk.rewrite_external_links(output)
        if self.mirror:
            self.mirror.add(page.file.dest_uri, output)  # its 繁體 page under zh-hant/
        if self.index:
            self.index.add(page.file.dest_uri, output)  # its copy for the search index
        return output

    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        offline.localise_theme_scripts(site_dir)  # Material's bundle would fetch from unpkg.com
        if self.mirror:
            mirror = self.mirror.finish()
            log.info("繁体版：%d 页，每页 %.1f 毫秒。", mirror.pages, mirror.ms_per_page)
        if self.index:
            try:
                search.build_index(site_dir, self.index)  # before the swap; a preview indexes once
            except search.SearchIndexError as err:  # a message, not a traceback
                raise PluginError(str(err)) from None
        if self.dirty:
            self.dirty.build_done()
        self.built = True  # on_shutdown swaps the site in, once MkDocs' strict-mode check has passed too

    def on_build_error(self, error):
        if self.index:
            self.index.remove()
        publication, self.publication = self.publication, None
        if publication:
            publication.abandon()  # the half-built site is of no use to anyone; the lock is released
            kept = publication.final if publication.final.exists() else None
            if isinstance(error, OSError):  # disk full, read-only, permissions: a located message, no traceback
                raise PluginError(os_error_message(error, "写入", kept)) from None
            log.error("构建失败，上一次成功构建的网站保留在 %s，未被改动。", publication.final)

    # ---- helpers ---------------------------------------------------------------------------------

    def _add_dirty_pages(self, files, config) -> None:
        """Planned pages backed by files that change only when the page does (qinglian/build/incremental.py);
        hand-written pages (home, campaign, …) may show anything from the catalog: in memory, always rendered."""
        root = Path(config.config_file_path).parent
        rebuilt = 0
        for uri, source in incremental.page_sources(self.plan, root, self.dirty).items():
            file = File.generated(config, uri, abs_src_path=str(source), inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(file)
            self.dirty.dests[uri] = file.abs_dest_path
            rebuilt += file.is_modified()
        hand_written = [f for f in files.documentation_pages() if not f.generated_by]
        for file in hand_written:
            files.remove(file)
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            files.append(File.generated(config, file.src_uri, content=text, inclusion=file.inclusion))
        total = len(self.plan.pages) + len(hand_written)
        log.info("增量预览：重新生成 %d / %d 个页面。", rebuilt + len(hand_written), total)

    def _check_links(self, files, config, docs: list) -> None:
        """Relative links in stories and docs/ pages (`docs`: src_uri, path), located in the file editors edit
        (qinglian/build/links.py)."""
        root = Path(config.config_file_path).parent
        toc = config.mdx_configs.get("toc", {})
        slugify = toc.get("slugify") or _default_slugify()
        problems = links.check_links(links.sources_of(self.plan, docs, root), set(files.src_uris), slugify)
        if problems:
            raise PluginError(format_report(sorted(set(problems))))

    def _plan_outputs(self, files, config) -> None:
        """What on_post_page makes of each written page: its 繁體 mirror page and its search-index copy."""
        site_dir = Path(config.site_dir)
        pages = {f.dest_uri for f in files if f.dest_uri.endswith(".html") and not f.inclusion.is_excluded()}
        plan = self.plan
        page_phrases = {f"{s.url}index.html": s.meta["hant"] for s in plan.content.stories if s.meta.get("hant")}
        # the kiosk has no 简/繁 switch, so no mirror to switch to
        self.mirror = (
            None
            if kiosk.enabled(config)
            else editions.TraditionalMirror(
                site_dir, config.site_url, pages, plan.content.data.hant_phrases, page_phrases
            )
        )
        # a preview (`mkdocs serve`) indexes once: its later rebuilds keep the first index
        first = self.command != "serve" or not (site_dir / search.BUNDLE).exists()
        self.index = search.IndexSource() if first else None


def _default_slugify():
    from markdown.extensions.toc import slugify

    return slugify


def _edit_url(config, rel: str) -> str | None:
    """Edit links open the story's own file: edit_uri points at docs/, so swap docs/ for the story's path."""
    if not config.repo_url or not config.edit_uri:
        return None
    edit_root = config.edit_uri.rstrip("/").removesuffix("docs").rstrip("/")
    return f"{config.repo_url.rstrip('/')}/{edit_root.lstrip('/')}/{rel}"


_build = QinglianBuild()
on_startup = _build.on_startup
on_shutdown = _build.on_shutdown
on_config = _build.on_config
on_files = _build.on_files
on_env = _build.on_env
on_page_markdown = _build.on_page_markdown
on_page_content = _build.on_page_content
on_page_context = _build.on_page_context
on_post_page = _build.on_post_page
on_post_build = _build.on_post_build
on_build_error = _build.on_build_error
