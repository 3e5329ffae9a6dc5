// 清廉慈利 site search: the header box (partials/search.html) on top of Pagefind.
//
// The index (hooks/qinglian/outputs/search.py) holds every Chinese character as its own word, in Simplified
// form, plus hidden pinyin words per story. So a query is normalised the same way: Traditional →
// Simplified, characters spaced out, and each run of characters searched as an exact phrase, ranked by
// where it first occurs on the page (title first). Pinyin and other Latin words go to Pagefind's ranked
// search as they are (yry, yuanrenyuan, yuan ren yuan).
//
// The kiosk (or any page) can use the same query logic without this UI:
//   const { search } = await import("/assets/javascripts/search.js");
//   const { results, total } = await search("袁任远", { filters: { collection: "官吏" } });
// The plain Pagefind API at /pagefind/pagefind.js also finds pinyin (pagefind.search("yry")).

const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const HAN_CHAR = new RegExp(`[${HAN}]`, "g");
const HAS_HAN = new RegExp(`[${HAN}]`);
// Characters that are never separated by a space in Chinese text: Han, CJK punctuation, full-width forms.
const TIGHT = `${HAN}\\u3000-\\u303f\\uff00-\\uffef\\u2018-\\u201f\\u2026\\u00b7`;
const TIGHT_CHAR = new RegExp(`[${TIGHT}]`);

const siteRoot = new URL("../../", import.meta.url);
const PAGE_SIZE = 10;
const FILTER_KEYS = ["collection", "unit_type", "township", "era"]; // Pagefind filters, in the order shown

let pagefindPromise = null;

/** Load Pagefind (from this site's own /pagefind/ folder) once. */
export function pagefind() {
  if (!pagefindPromise) {
    pagefindPromise = import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (pf) => {
      await pf.options({
        baseUrl: siteRoot.pathname,
        excerptLength: 36,
        // Pagefind's ranked search serves pinyin/Latin queries (Chinese phrases are ranked by position, see
        // search()). The weighted pinyin line should count more than BM25 alone would (termFrequency,
        // default 1.0) and repetitions saturate sooner (termSaturation, default 1.4). Not tuned by measurement.
        ranking: { pageLength: 0.5, termFrequency: 0.6, termSaturation: 1.2 },
      });
      await pf.init();
      // A large site's index comes in shards (hooks/qinglian/outputs/search.py): the first is pagefind/, the others merge in.
      const { SHARDS } = await import(new URL("assets/javascripts/search-shards.js", siteRoot).href)
        .catch(() => ({ SHARDS: [] }));
      await Promise.all(SHARDS.map((shard) =>  // side by side: one round trip, not one per shard
        pf.mergeIndex(new URL(shard, siteRoot).pathname, { baseUrl: siteRoot.pathname, excerptLength: 36 })));
      return pf;
    });
    pagefindPromise.catch(() => { pagefindPromise = null; }); // a failed load is tried again on the next search
  }
  return pagefindPromise;
}

const maps = {};
/** A character map written at build time ("t2s" for queries, "s2t" for the 繁體 pages), as a Map. */
function charMap(name) {
  if (!maps[name]) {
    maps[name] = import(new URL(`assets/javascripts/search-${name}.js`, siteRoot).href)
      .then((m) => { const to = [...m.TO]; return new Map([...m.FROM].map((c, i) => [c, to[i]])); })
      .catch(() => new Map());
  }
  return maps[name];
}

const traditionalPage = () => /^zh-(hant|tw|hk|mo)/i.test(document.documentElement.lang || "");
// The 繁體 mirror (hooks/qinglian/outputs/editions.py) lives under <site>/zh-hant/ and is not indexed separately:
// its search uses the Simplified index and links to the mirror's copy of each page.
const TRADITIONAL_PREFIX = "zh-hant/";

/** A result's address in the reader's edition. */
export function editionUrl(url) {
  const root = siteRoot.pathname;
  let address;
  try { address = new URL(url, siteRoot); } catch (e) { return root; }
  if (address.origin !== siteRoot.origin) return root; // a result always lies on this site
  if (!traditionalPage() || !url.startsWith(root) || url.startsWith(root + TRADITIONAL_PREFIX)) return url;
  return root + TRADITIONAL_PREFIX + url.slice(root.length);
}

/** The query as the index spells it: NFKC, lower case, Simplified, single spaces. */
export async function normalise(query) {
  let q = (query || "").normalize("NFKC").toLowerCase().replace(/[\s\u3000]+/g, " ").trim();
  if (HAS_HAN.test(q)) {
    const t2s = await charMap("t2s");
    q = [...q].map((c) => t2s.get(c) || c).join("");
  }
  return q;
}

const spaced = (part) => part.replace(HAN_CHAR, " $& ").replace(/\s+/g, " ").trim();

/**
 * Search like the header box does. Returns { query, results: [Pagefind result], total, filters, pinyin }.
 *
 * Every part of the query that has Chinese characters is an exact phrase ("象 市"): only pages holding
 * it match, and they are ranked by where it first occurs — the kicker and title come first on every
 * page, so a phrase in a title or name ranks above one deep in the text. (Pagefind's ranked search
 * would score every page holding each character; on 10,000 pages that took seconds for common words.)
 * Pinyin and other Latin parts go through Pagefind's ranked search (prefix matches: yuanren…).
 */
export async function search(query, { filters = {}, withFilterCounts = false } = {}) {
  const pf = await pagefind();
  const q = await normalise(query);
  const activeFilters = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const hasFilters = Object.keys(activeFilters).length > 0;
  if (!q && !hasFilters) return { query: q, results: [], total: 0, filters: {} };
  const options = { filters: activeFilters };
  const parts = q ? q.split(" ") : [];
  const phrases = parts.filter((p) => HAS_HAN.test(p)).map(spaced);
  const latin = parts.filter((p) => !HAS_HAN.test(p));
  if (withFilterCounts) await pf.filters(); // loads the filter index, so results carry counts per value
  let found = null; // id -> { result of the first phrase (its excerpt highlights the phrase), rank }
  let counts = {};
  for (const phrase of phrases) {
    const exact = await pf.search(`"${phrase}"`, options);
    counts = exact.filters || counts;
    const first = new Map(exact.results.map((r) => [r.id, [r, Math.min(...(r.words.length ? r.words : [1e9]))]]));
    if (!found) found = new Map([...first].map(([id, [r, at]]) => [id, { result: r, rank: at }]));
    else {
      for (const [id, entry] of found) {
        if (first.has(id)) entry.rank += first.get(id)[1];
        else found.delete(id);
      }
    }
    if (!found.size) break;
  }
  let results;
  if (found && !latin.length) {
    results = [...found.values()].sort((a, b) => a.rank - b.rank).map((e) => e.result);
  } else {
    let ranked = await pf.search(latin.length ? latin.join(" ") : null, options);
    if (!ranked.results.length && latin.length > 1) ranked = await pf.search(latin.join(""), options); // yuan ren yuan
    counts = ranked.filters || counts;
    results = ranked.results;
    if (found) {
      results = results.filter((r) => found.has(r.id))
        .map((r) => ({ id: r.id, score: r.score, words: r.words, data: found.get(r.id).result.data }));
    }
  }
  return { query: q, results, total: results.length, filters: counts, pinyin: !phrases.length };
}

/** Pagefind text of the index back to Chinese as written: no spaces next to Chinese characters or
 *  punctuation, adjacent highlights merged; optionally shown in Traditional characters. */
export function tidy(html, toTraditional = null) {
  const items = [];
  for (const token of (html || "").split(/(<\/?mark>)/)) {
    if (/^<\/?mark>$/.test(token)) items.push({ tag: token });
    else for (const ch of token) items.push({ ch });
  }
  let out = "";
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.tag) { out += item.tag; continue; }
    if (!/\s/.test(item.ch)) { out += (toTraditional && toTraditional.get(item.ch)) || item.ch; continue; }
    let j = i;
    while (j < items.length && (items[j].tag || /\s/.test(items[j].ch))) j++;
    let p = i - 1;
    while (p >= 0 && items[p].tag) p--;
    const prev = p >= 0 ? items[p].ch : "", next = j < items.length ? items[j].ch : "";
    let space = prev && next && !TIGHT_CHAR.test(prev) && !TIGHT_CHAR.test(next);
    for (let k = i; k < j; k++) {
      if (items[k].tag) out += items[k].tag;
      else if (space) { out += " "; space = false; }
    }
    i = j - 1;
  }
  return out.replace(/<\/mark><mark>/g, "").trim();
}

/** Pagefind's excerpt as HTML with nothing but its <mark> highlights: every other tag becomes text. Parsed in
 *  an inert document (no script runs, nothing loads), so even a page with markup in its text cannot add any. */
export function markOnly(html) {
  const body = new DOMParser().parseFromString(`<body>${html || ""}`, "text/html").body;
  return [...body.childNodes].map((node) => (node.nodeName === "MARK"
    ? `<mark>${escapeHtml(node.textContent)}</mark>` : escapeHtml(node.textContent))).join("");
}

/** An excerpt without the hidden pinyin words that end every story page (ql-search-data.html). */
const withoutPinyin = (html) => (html || "").replace(/(?:\s+(?:<\/?mark>)*[a-z]+(?:<\/?mark>)*){2,}\.?\s*$/, " …");

const SENTENCE_END = /[。！？!?；;\n]/;
const escapeHtml = (text) => String(text ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const unescapeHtml = (text) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** The sentence of the text that holds the first highlighted word — from the end of the sentence before it to
 *  the end of its own, at most about 60 characters either side of the match — without the page title or a
 *  heading that the index runs into it (导读包拯是…), highlighted again. Pagefind's own excerpt is a window of
 *  words that starts and ends mid-sentence. Falls back to that excerpt when the match cannot be placed. */
export function sentenceExcerpt(d) {
  const excerpt = tidy(withoutPinyin(d.excerpt));
  const marks = [...new Set([...excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => unescapeHtml(m[1])).filter(Boolean))];
  const content = tidy(d.content || "");
  const plain = unescapeHtml(excerpt.replace(/<\/?mark>/g, ""));
  const firstMark = excerpt.indexOf("<mark>");
  if (!marks.length || firstMark < 0) return excerpt;
  const lead = unescapeHtml(excerpt.slice(0, firstMark).replace(/<\/?mark>/g, ""));
  const where = content.indexOf(plain.slice(0, 24));
  let at = where >= 0 ? where + lead.length : content.indexOf(marks[0]);
  if (at < 0) return excerpt;
  let start = at;
  while (start > 0 && !SENTENCE_END.test(content[start - 1]) && at - start < 60) start--;
  let end = at + marks[0].length;
  while (end < content.length && !SENTENCE_END.test(content[end - 1]) && end - at < 60) end++;
  const heads = [d.meta && d.meta.title, ...(d.anchors || []).map((a) => a.text), ...(d.sub_results || []).map((r) => r.title)]
    .filter(Boolean).map((h) => tidy(h)).sort((a, b) => b.length - a.length);
  while (start < at && "”’」』）)".includes(content[start])) start++;  // the closing quote of the sentence before
  let cut = start > 0 && !SENTENCE_END.test(content[start - 1]) && !"”’」』）)".includes(content[start - 1]);
  for (let again = true; again;) {
    again = false;
    for (const head of heads) {
      if (head && content.startsWith(head, start)) { start += head.length; again = true; cut = false; }
    }
  }
  if (start > at) {  // the match was in the title or a heading: its next place in the text, else the first sentence
    const textStart = start, next = content.indexOf(marks[0], textStart);
    if (next >= 0) {
      start = next;
      while (start > textStart && !SENTENCE_END.test(content[start - 1]) && next - start < 60) start--;
      cut = start > textStart && !SENTENCE_END.test(content[start - 1]);
      end = next + marks[0].length;
      while (end < content.length && !SENTENCE_END.test(content[end - 1]) && end - next < 60) end++;
    } else {
      end = start;
      while (end < content.length && !SENTENCE_END.test(content[end - 1]) && end - start < 90) end++;
    }
  }
  let html = escapeHtml(content.slice(start, end).trim());
  for (const word of marks.sort((a, b) => b.length - a.length)) html = html.split(escapeHtml(word)).join(`<mark>${escapeHtml(word)}</mark>`);
  const before = cut ? "…" : "";
  const after = end < content.length && !SENTENCE_END.test(content[end - 1]) ? "…" : "";
  return before + html.replace(/<\/mark><mark>/g, "") + after;
}

// ---- the header box ------------------------------------------------------------------------

// A search that finds nothing is worth knowing (what readers look for and the site lacks): once the reader stops
// typing, its words go to /_nohit, which nginx answers 204 and logs without the reader's address
// (deploy/nginx.conf; deploy/report.py sums them up). No cookie, no other data; see docs/privacy.md.
let noHitTimer = 0, noHitSent = "";
function reportNoHit(query) {
  clearTimeout(noHitTimer);
  const words = query.trim().slice(0, 60);
  if (!words || words === noHitSent || !navigator.sendBeacon) return;
  noHitTimer = setTimeout(() => {
    noHitSent = words;
    navigator.sendBeacon(new URL(`_nohit?q=${encodeURIComponent(words)}`, siteRoot).href);
  }, 1500);
}

function setupBox() {
  const input = document.querySelector("[data-ql-search-input]");
  if (!input) return;
  const form = document.querySelector("[data-ql-search-form]");
  const toggle = document.getElementById("__search");
  const status = document.querySelector("[data-ql-search-status]");
  const list = document.querySelector("[data-ql-search-list]");
  const more = document.querySelector("[data-ql-search-more]");
  const empty = document.querySelector("[data-ql-search-empty]");
  const filterBox = document.querySelector("[data-ql-search-filters]");
  const filterSummary = filterBox && filterBox.querySelector("summary");
  const filterBody = filterBox && filterBox.querySelector("[data-ql-search-filter-body]");
  if (!form || !status || !list || !more || !empty || !filterSummary || !filterBody) return; // another page layout
  const idleText = status.textContent.trim(); // already in the page's script (the mirror converts it)
  const filterIdleText = filterSummary.textContent.trim();
  const words = JSON.parse(input.closest("[data-ql-say]")?.dataset.qlSay || "{}"); // hooks/qinglian/site/ui.py
  let s2t = null; // Traditional pages: show what search.js writes in Traditional characters too
  if (traditionalPage()) charMap("s2t").then((m) => { s2t = m; });
  const say = (text, n) => {
    const worded = String(text ?? "").replace("{n}", n);
    return s2t ? tidy(worded, s2t) : worded;
  };
  const label = (key) => (words.filter_labels || {})[key] || key;
  const chosen = {};
  let composing = false, timer = 0, generation = 0, current = [], shown = 0, active = -1;

  const open = () => { if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); } };
  const close = () => { if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); } input.blur(); };

  function setActive(index) {
    const items = list.querySelectorAll(".md-search-result__link");
    items.forEach((a) => a.classList.remove("is-active"));
    active = items.length ? Math.max(-1, Math.min(index, items.length - 1)) : -1;
    if (active >= 0) {
      items[active].classList.add("is-active");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  let pinyinQuery = false;

  async function showMore(gen) {
    const slice = current.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(slice.map((r) => r.data()));
    if (gen !== generation) return;
    for (const d of data) {
      const li = document.createElement("li");
      li.className = "md-search-result__item";
      li.setAttribute("role", "presentation");
      const id = `ql-search-result-${shown++}`;
      const kind = d.meta.collection ? `<span class="ql-search-kind">${escapeHtml(tidy(d.meta.collection))}</span>` : "";
      li.innerHTML = `<a href="${escapeHtml(editionUrl(d.url))}" class="md-search-result__link" id="${id}" role="option" tabindex="-1">
        <article class="md-search-result__article">
          <h2 class="md-search-result__title ql-search-title">${kind}${escapeHtml(tidy(d.meta.title || d.url, s2t))}</h2>
          <p class="md-search-result__teaser ql-search-excerpt">${
            pinyinQuery && d.meta.summary ? escapeHtml(tidy(d.meta.summary, s2t)) : markOnly(tidy(sentenceExcerpt(d), s2t))}</p>
        </article></a>`;
      list.appendChild(li);
    }
    more.hidden = shown >= current.length;
  }

  // The filters show only values that occur among the results (or are chosen), in a collapsible box so
  // that the results stay at the top on a phone; the summary says how many are in use.
  function renderFilters(counts) {
    const values = (key) => Object.entries(counts[key] || {})
      .filter(([value, n]) => n > 0 || chosen[key] === value)
      .sort((a, b) => a[0].localeCompare(b[0], "zh"));
    const keys = FILTER_KEYS.filter((key) => values(key).length > 0 || chosen[key]);
    const inUse = Object.values(chosen).filter(Boolean).length;
    filterBox.hidden = keys.length === 0 || (!current.length && !inUse);
    filterSummary.textContent = inUse ? say(words.filters_in_use, inUse) : filterIdleText;
    filterBody.innerHTML = keys.map((key) => {
      const options = values(key).map(([value, n]) =>
        `<option value="${escapeHtml(value)}"${chosen[key] === value ? " selected" : ""}>${escapeHtml(say(value))}（${n}）</option>`).join("");
      return `<label class="ql-search-filter"><span>${escapeHtml(say(label(key)))}</span>
        <select data-ql-filter="${key}"><option value="">${escapeHtml(say(words.all))}</option>${options}</select></label>`;
    }).join("");
  }

  async function run() {
    const gen = ++generation;
    const query = input.value;
    if (!query.trim() && !Object.values(chosen).some(Boolean)) {
      list.innerHTML = ""; more.hidden = true; empty.hidden = true; filterBox.hidden = true;
      status.textContent = idleText; input.setAttribute("aria-expanded", "false");
      return;
    }
    status.textContent = say(words.searching);
    delete status.dataset.query;
    let found;
    try {
      found = await search(query, { filters: chosen, withFilterCounts: true });
    } catch (err) {
      if (gen === generation) status.textContent = say(words.unavailable);
      console.error(err);
      return;
    }
    if (gen !== generation) return;
    current = found.results; shown = 0; active = -1; pinyinQuery = found.pinyin;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", current.length ? "true" : "false");
    status.textContent = current.length ? say(words.found, current.length) : say(words.not_found);
    if (current.length) clearTimeout(noHitTimer); else reportNoHit(query); // only the search the reader settles on
    empty.hidden = current.length > 0;
    renderFilters(found.filters);
    await showMore(gen);
    if (gen === generation) status.dataset.query = query; // which query the list shows (tests, kiosk)
  }

  const schedule = (delay = 100) => { clearTimeout(timer); timer = setTimeout(run, delay); };

  input.addEventListener("compositionstart", () => { composing = true; clearTimeout(timer); });
  input.addEventListener("compositionend", () => { composing = false; schedule(0); });
  input.addEventListener("input", (e) => { if (!composing && !e.isComposing) schedule(); });
  // Load Pagefind and the filter index as soon as the reader is in the box, while they type.
  input.addEventListener("focus", () => { open(); pagefind().then((pf) => pf.filters()).catch(() => {}); });
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("reset", () => { setTimeout(() => { Object.keys(chosen).forEach((k) => delete chosen[k]); run(); input.focus(); }); });
  filterBody.addEventListener("change", (e) => {
    const key = e.target.getAttribute("data-ql-filter");
    if (key) { chosen[key] = e.target.value; run(); }
  });
  more.addEventListener("click", () => showMore(generation));
  if (toggle) toggle.addEventListener("change", () => { if (toggle.checked && document.activeElement !== input) input.focus(); });

  input.addEventListener("keydown", (e) => {
    if (e.isComposing || composing) return;
    if (e.key === "ArrowDown") { e.preventDefault(); setActive(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); setActive(active - 1); }
    else if (e.key === "Enter") {
      e.preventDefault();
      const items = list.querySelectorAll(".md-search-result__link");
      const target = items[active >= 0 ? active : 0];
      if (target) window.location.href = target.href;
    } else if (e.key === "Escape") { e.preventDefault(); close(); }
  });

  // An address with ?q=… (the WebSite SearchAction in every home page's JSON-LD, a shared search) opens the box
  // with that query.
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked && asked.trim()) { input.value = asked; open(); run(); }

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const el = document.activeElement;
    const typing = el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "S")) {
      e.preventDefault(); e.stopPropagation(); open(); input.focus(); input.select();
    }
  }, true);
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupBox);
  else setupBox();
}
