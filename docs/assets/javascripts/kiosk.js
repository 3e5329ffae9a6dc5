/* 清廉慈利 — exhibition kiosk edition (loaded only when kiosk.yml builds the site: extra.kiosk).
 *
 * - the bar: 首页 / 返回 / 搜索;
 * - the visitor never leaves the site: external links were turned into QR triggers at build time
 *   (hooks/qinglian/kiosk/edition.py); any other link off this origin is blocked here as well;
 * - search with an on-screen pinyin keyboard, through Pagefind's JS API (/pagefind/pagefind.js);
 * - idle: after N seconds without a touch, home and the attract loop (featured stories, videos muted);
 * - robustness: a script error or a missing page sends the kiosk home;
 * - no text selection, context menu or pinch zoom.
 *
 * Settings come from <script id="kiosk-config"> in <head> (data/site.yml idle_seconds): read from <head> only,
 * and only same-origin addresses, so no element of a story can stand in for it (DOM clobbering). Tests and the memory
 * benchmark shorten the timers with URL parameters, kept for the session:
 *   ?kiosk-idle=SECONDS  ?kiosk-slide=SECONDS
 */
(function () {
  "use strict";

  var config = readConfig();
  var homeUrl = sameOrigin(config.home, "/");
  var baseUrl = sameOrigin((config.base || ".").replace(/\/?$/, "/"), "/");
  var SLIDE_SECONDS = 8;
  var leaving = false;

  // ---- robustness: an error anywhere sends the kiosk home (never an error screen) ----------
  function goHome(hash) {
    if (leaving) return;
    leaving = true;
    var target = new URL(homeUrl.href);
    target.hash = hash || "";
    if (target.href === location.href) {
      location.reload();
    } else {
      location.replace(target.href);
    }
  }

  function recover() {
    if (config.isHome) return; // the home page itself stays up; reloading it in a loop helps no one
    goHome();
  }
  window.addEventListener("error", function (event) {
    // Resource errors (a missing image) bubble here too with no `error`: they do not break the page.
    if (event && event.target && event.target !== window) return;
    recover();
  });
  window.addEventListener("unhandledrejection", recover);
  if (window.qinglianKioskErrors && window.qinglianKioskErrors.length) recover(); // before this script ran

  if (config.notFound) {
    window.setTimeout(function () { goHome(); }, 2500);
  }

  // ---- settings kept for the session (tests and benchmarks shorten the timers) -------------
  function setting(name, fallback) {
    var params = new URLSearchParams(location.search);
    var key = "kiosk-" + name;
    try {
      if (params.has(key)) sessionStorage.setItem(key, params.get(key));
      var value = parseFloat(sessionStorage.getItem(key));
      if (value > 0) return value;
    } catch (e) { /* storage may be unavailable: use the default */ }
    return fallback;
  }
  var idleMs = 1000 * setting("idle", config.idleSeconds || 90);
  var slideMs = 1000 * setting("slide", SLIDE_SECONDS);

  // ---- no selection, context menu, pinch or ctrl-zoom ---------------------------------------
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });
  document.addEventListener("selectstart", function (e) { e.preventDefault(); });
  document.addEventListener("dragstart", function (e) { e.preventDefault(); });
  document.addEventListener("gesturestart", function (e) { e.preventDefault(); });
  document.addEventListener("touchmove", function (e) {
    if (e.touches && e.touches.length > 1) e.preventDefault();
  }, { passive: false });
  document.addEventListener("wheel", function (e) { if (e.ctrlKey) e.preventDefault(); }, { passive: false });
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && /^[+\-=0]$/.test(e.key)) e.preventDefault();
  });

  // ---- the bar -------------------------------------------------------------------------------
  function on(selector, handler) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].addEventListener("click", handler);
  }
  on("[data-kiosk-home]", function () { goHome(); });
  on("[data-kiosk-back]", function () {
    if (closeOverlays()) return;
    if (config.isHome) return;
    if (history.length > 1) {
      history.back();
    } else {
      goHome();
    }
  });
  if (config.isHome) {
    var back = document.querySelector("[data-kiosk-back]");
    if (back) back.disabled = true;
  }

  // ---- overlays --------------------------------------------------------------------------------
  var qrOverlay = document.querySelector("[data-kiosk-qr-overlay]");
  var searchOverlay = document.querySelector("[data-kiosk-search]");

  function openOverlay(overlay) {
    closeOverlays();
    overlay.hidden = false;
    document.documentElement.classList.add("kiosk-has-overlay");
  }

  function closeOverlays() {
    var closed = false;
    [qrOverlay, searchOverlay].forEach(function (overlay) {
      if (overlay && !overlay.hidden) {
        overlay.hidden = true;
        closed = true;
      }
    });
    if (qrOverlay) qrOverlay.querySelector("[data-kiosk-qr-code]").textContent = "";
    document.documentElement.classList.remove("kiosk-has-overlay");
    return closed;
  }
  on("[data-kiosk-close]", function () { closeOverlays(); });

  // ---- links: external ones show their QR code, none leaves the site -------------------------
  function showQr(trigger) {
    var template = document.getElementById(trigger.getAttribute("data-kiosk-qr"));
    // the build puts these <template>s straight into <body> (hooks/qinglian/kiosk/edition.py); nothing else counts
    if (!(template instanceof HTMLTemplateElement) || template.parentNode !== document.body || !qrOverlay) return;
    openOverlay(qrOverlay);
    var holder = qrOverlay.querySelector("[data-kiosk-qr-code]");
    holder.textContent = "";
    holder.appendChild(template.content.cloneNode(true));
    qrOverlay.querySelector("[data-kiosk-qr-url]").textContent = trigger.getAttribute("data-kiosk-url") || "";
  }

  var swallowClicksUntil = 0; // the touch that ends the attract loop must not also open a tile
  document.addEventListener("click", function (event) {
    if (Date.now() < swallowClicksUntil) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var trigger = target.closest("[data-kiosk-qr]");
    if (trigger) {
      event.preventDefault();
      showQr(trigger);
      return;
    }
    var link = target.closest("a[href]");
    if (!link) return;
    var url;
    try { url = new URL(link.getAttribute("href"), location.href); } catch (e) { url = null; }
    if (!url || url.origin !== location.origin || link.hasAttribute("download")) {
      event.preventDefault(); // never leave the kiosk
    } else if (link.target && link.target !== "_self") {
      event.preventDefault(); // never open a second window: open the page here
      location.href = url.href;
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    var trigger = event.target instanceof Element && event.target.closest("[data-kiosk-qr]");
    if (trigger && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      showQr(trigger);
    }
  });
  window.open = function () { return null; };

  // ---- search: the on-screen pinyin keyboard and Pagefind ------------------------------------
  var query = "";
  var searchSerial = 0;
  var pagefindPromise = null;
  var queryBox = document.querySelector("[data-kiosk-query]");
  var results = document.querySelector("[data-kiosk-results]");
  var statusLine = document.querySelector("[data-kiosk-search-status]");
  var searchTimer = 0;

  // The public site's loader (assets/javascripts/search.js): one Pagefind, its options and its shards merged.
  function loadPagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("assets/javascripts/search.js", baseUrl).href).then(function (module) {
        return module.pagefind();
      });
      pagefindPromise.catch(function () { pagefindPromise = null; });
    }
    return pagefindPromise;
  }

  function render() {
    if (queryBox) queryBox.textContent = query;
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 150);
  }

  function runSearch() {
    var serial = ++searchSerial;
    var q = query;
    if (!results) return;
    if (!q) {
      results.textContent = "";
      statusLine.textContent = "";
      return;
    }
    loadPagefind().then(function (pagefind) {
      return pagefind.search(q);
    }).then(function (found) {
      if (serial !== searchSerial) return null;
      return Promise.all(found.results.slice(0, 8).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (!items || serial !== searchSerial) return;
      showResults(items);
    }).catch(function () {
      if (serial !== searchSerial) return;
      results.textContent = "";
      statusLine.textContent = config.ui.unavailable;
    });
  }

  function appendMarked(parent, html) {
    var body = new DOMParser().parseFromString("<body>" + html, "text/html").body; // inert: nothing runs or loads
    Array.prototype.forEach.call(body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function showResults(items) {
    results.textContent = "";
    statusLine.textContent = items.length ? "" : config.ui.empty;
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "kiosk-result";
      a.href = new URL(item.url.replace(/^\//, ""), baseUrl).href;
      var title = document.createElement("strong");
      title.textContent = (item.meta && item.meta.title) || item.url;
      var excerpt = document.createElement("span");
      excerpt.className = "kiosk-result__excerpt";
      if (item.meta && item.meta.summary) {
        excerpt.textContent = item.meta.summary; // a pinyin match would excerpt the hidden pinyin words
      } else {
        appendMarked(excerpt, item.excerpt || ""); // Pagefind's excerpt: its <mark>s kept, anything else as text
      }
      a.appendChild(title);
      a.appendChild(excerpt);
      li.appendChild(a);
      results.appendChild(li);
    });
  }

  on("[data-kiosk-search-open]", function () {
    if (!searchOverlay) return;
    openOverlay(searchOverlay);
    loadPagefind().catch(function () { /* reported when the visitor searches */ });
  });
  on("[data-key]", function (event) {
    if (query.length < 40) query += event.currentTarget.getAttribute("data-key");
    render();
  });
  on("[data-key-delete]", function () { query = query.slice(0, -1); render(); });
  on("[data-key-clear]", function () { query = ""; render(); });

  // ---- idle: home, then the attract loop -------------------------------------------------------
  var idleTimer = 0;
  function resetIdle() {
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(onIdle, idleMs);
  }
  function watching() { // a visitor watching a story's video is not idle
    var videos = document.querySelectorAll(".ql-video video");
    for (var i = 0; i < videos.length; i++) {
      if (!videos[i].paused && !videos[i].ended) return true;
    }
    return false;
  }
  function onIdle() {
    if (watching()) {
      resetIdle();
      return;
    }
    if (config.isHome && attract && !attract.running) {
      closeOverlays();
      query = ""; // the next visitor starts with an empty search
      render();
      window.scrollTo(0, 0);
      attract.start();
    } else if (!config.isHome) {
      goHome("attract"); // a fresh home page: whatever the last visitor left open is gone
    }
  }
  ["pointerdown", "touchstart", "keydown", "wheel", "scroll"].forEach(function (type) {
    window.addEventListener(type, resetIdle, { passive: true, capture: true });
  });

  // ---- the attract loop (home page only) --------------------------------------------------------
  var attract = (function () {
    var root = document.querySelector("[data-kiosk-attract]");
    if (!root) return null;
    var slides = root.querySelectorAll("[data-kiosk-slide]");
    var state = { running: false, index: -1, timer: 0, cycles: 0 };

    function show(index) {
      var previous = slides[state.index];
      if (previous) {
        previous.classList.remove("is-active");
        var pv = previous.querySelector("video");
        if (pv) { pv.pause(); pv.removeAttribute("autoplay"); }
      }
      state.index = index;
      var slide = slides[index];
      slide.classList.add("is-active");
      var video = slide.querySelector("video");
      if (video) {
        video.muted = true; // muted autoplay, only here
        video.currentTime = 0;
        var played = video.play();
        if (played && played.catch) played.catch(function () { /* poster stays */ });
      }
    }

    function next() {
      if (!state.running) return;
      var index = (state.index + 1) % slides.length;
      if (index === 0) state.cycles++;
      show(index);
      state.timer = window.setTimeout(next, slideMs);
    }

    function start() {
      if (state.running || !slides.length) return;
      state.running = true;
      root.hidden = false;
      document.documentElement.classList.add("kiosk-attracting");
      state.index = -1;
      next();
    }

    function stop() {
      if (!state.running) return;
      state.running = false;
      window.clearTimeout(state.timer);
      var slide = slides[state.index];
      if (slide) {
        slide.classList.remove("is-active");
        var video = slide.querySelector("video");
        if (video) video.pause();
      }
      state.index = -1;
      root.hidden = true;
      document.documentElement.classList.remove("kiosk-attracting");
    }

    // Any touch ends the loop; the touch itself does not reach the tile beneath.
    function end(event) {
      if (!state.running) return;
      event.preventDefault();
      event.stopPropagation();
      swallowClicksUntil = Date.now() + 700;
      stop();
      resetIdle();
    }
    root.addEventListener("pointerdown", end);
    root.addEventListener("click", function (e) { e.preventDefault(); e.stopPropagation(); });

    return {
      start: start,
      stop: stop,
      get running() { return state.running; },
      get cycles() { return state.cycles; },
      get index() { return state.index; },
    };
  })();

  // Tests and the memory benchmark read the loop's state here.
  window.qinglianKiosk = { attract: attract, idleMs: idleMs, slideMs: slideMs };

  if (config.isHome && location.hash === "#attract") {
    history.replaceState(null, "", location.pathname + location.search);
    if (attract) attract.start();
  }
  resetIdle();

  function readConfig() {
    var node = document.head.querySelector('script#kiosk-config[type="application/json"]');
    try {
      var read = JSON.parse(node.textContent);
      if (read && typeof read === "object" && read.ui && typeof read.ui === "object") return read;
    } catch (e) { /* fall through to the defaults */ }
    return { home: "/", base: "/", idleSeconds: 90, isHome: false, ui: {} };
  }

  function sameOrigin(address, fallback) {
    var url;
    try { url = new URL(address || fallback, location.href); } catch (e) { url = null; }
    return url && url.origin === location.origin ? url : new URL(fallback, location.href);
  }
})();
