/* 清廉慈利 — exhibition kiosk edition (loaded only when kiosk.yml builds the site: extra.kiosk).
 *
 * - the bar: 首页 / 返回 / 搜索;
 * - the visitor never leaves the site: external links were turned into QR triggers at build time
 *   (hooks/qinglian/kiosk/edition.py); any other link off this origin is blocked here as well;
 * - search with an on-screen pinyin keyboard, through Pagefind's JS API (/pagefind/pagefind.js);
 * - idle: after N seconds without a touch, home and the attract loop (featured stories, videos muted);
 * - robustness: a script error or a missing page sends the kiosk home;
 * - no text selection, context menu or pinch zoom;
 * - kinder (partials/kiosk-care.html): “还在看吗？” with a countdown before the idle reset (never while a video,
 *   a recording or 朗读 plays), 大字, 收藏 and 带走 (one QR code of the list on the public site), a closed screen
 *   outside opening hours, a staff exit (long press on the top-left corner + PIN);
 * - usage counts without tracking: page views, 收藏, searches and searches without a result are sent to the
 *   local server (kiosk/start.py, /_usage), which keeps per-day totals; nothing about the visitor is kept, and
 *   what one visitor did (大字, 收藏) is forgotten at the idle reset.
 *
 * Settings come from <script id="kiosk-config"> (data/site.yml idle_seconds) and <script id="kiosk-care-config">
 * (data/site.yml kiosk), both in <head> and read from <head> only, with same-origin addresses only, so that no
 * element of a story can stand in for them (DOM clobbering). Tests and the memory benchmark shorten the timers
 * with URL parameters, kept for the session:
 *   ?kiosk-idle=SECONDS  ?kiosk-slide=SECONDS
 */
(function () {
  "use strict";

  var config = readConfig();
  var care = readJson("kiosk-care-config") || {};
  var words = care.ui || {}; // hooks/qinglian/site/ui.py KIOSK_UI (the 404 page has none: nothing of this shows)
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

  function recover(event) {
    var what = (event && (event.message || (event.reason && String(event.reason)))) ||
      (window.qinglianKioskErrors || [])[0] || "error";
    report("error", String(what).slice(0, 200) + " @ " + location.pathname); // kiosk/start.py: /status.json
    if (config.isHome) return; // the home page itself stays up; reloading it in a loop helps no one
    goHome();
  }
  window.addEventListener("error", function (event) {
    // Resource errors (a missing image) bubble here too with no `error`: they do not break the page.
    if (event && event.target && event.target !== window) return;
    recover(event);
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
  var takeHomeOverlay = document.querySelector("[data-kiosk-take-home]");
  var staffOverlay = document.querySelector("[data-kiosk-staff]");

  function openOverlay(overlay) {
    closeOverlays();
    overlay.hidden = false;
    document.documentElement.classList.add("kiosk-has-overlay");
  }

  function closeOverlays() {
    var closed = false;
    if (searchOverlay && !searchOverlay.hidden) reportSearch();
    [qrOverlay, searchOverlay, takeHomeOverlay, staffOverlay].forEach(function (overlay) {
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
  var SEARCH_SETTLED_MS = 2000; // a search is counted when the visitor stops typing (not every letter)
  var reportTimer = 0, lastFound = null, lastReported = "";
  function reportSearch() {
    window.clearTimeout(reportTimer);
    if (!lastFound || !lastFound.query || lastFound.query === lastReported) return;
    lastReported = lastFound.query;
    report(lastFound.hits ? "search" : "nohit", lastFound.query);
  }

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
    window.clearTimeout(reportTimer);
    lastFound = { query: query, hits: items.length };
    reportTimer = window.setTimeout(reportSearch, SEARCH_SETTLED_MS);
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

  // ---- idle: “还在看吗？” and a countdown, then home and the attract loop -----------------------------
  var idleTimer = 0, countdownTimer = 0;
  var stillThere = document.querySelector("[data-kiosk-still-there]");
  // The question comes this long before the reset: data/site.yml kiosk.still_there_seconds, at most half the wait;
  // a wait too short to read a question in (the tests' and benchmarks' ?kiosk-idle=1.5) has none.
  var warnMs = Math.min(1000 * (care.stillThereSeconds || 20), idleMs / 2);
  if (warnMs < 2000) stillThere = null;
  function resetIdle() {
    window.clearTimeout(idleTimer);
    if (stillThere && !stillThere.hidden) hideStillThere();
    idleTimer = window.setTimeout(onWarn, stillThere ? idleMs - warnMs : idleMs);
  }
  function watching() { // a visitor watching a video, listening to a recording or to 朗读 is not idle
    var media = document.querySelectorAll(".ql-video video, .ql-audio audio");
    for (var i = 0; i < media.length; i++) {
      if (!media[i].paused && !media[i].ended) return true;
    }
    return !!(window.qinglianReadAloud && window.qinglianReadAloud.playing);
  }
  function onWarn() {
    if (!stillThere) return onIdle();
    if (watching()) return resetIdle();
    if ((attract && attract.running) || closed) return; // nobody is reading: nothing to ask
    stillThere.hidden = false;
    document.documentElement.classList.add("kiosk-asking");
    tick(Math.round(warnMs / 1000));
  }
  function tick(left) { // counted in timer steps, not by the clock (which a kiosk may have set wrong)
    if (watching()) return resetIdle(); // a video started meanwhile
    if (left <= 0) {
      hideStillThere();
      return onIdle();
    }
    stillThere.querySelector("[data-kiosk-countdown]").textContent = String(left);
    stillThere.querySelector("[data-kiosk-countdown-hint]").textContent =
      String(words.still_there_hint || "").replace("{n}", left);
    countdownTimer = window.setTimeout(function () { tick(left - 1); }, 1000);
  }
  function hideStillThere() {
    window.clearTimeout(countdownTimer);
    stillThere.hidden = true;
    document.documentElement.classList.remove("kiosk-asking");
  }
  if (stillThere) {
    // Touching anywhere continues; that touch must not also press what lies beneath the question.
    stillThere.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      swallowClicksUntil = Date.now() + 700;
      resetIdle();
    }, true);
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
      forgetVisitor();
      attract.start();
    } else if (!config.isHome) {
      goHome("attract"); // a fresh home page: whatever the last visitor left open is gone
    } else if (!attract) {
      closeOverlays();
      forgetVisitor();
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

  // ---- one visitor's choices: 大字 and 收藏, kept from page to page until the idle reset ------------------
  var VISITOR_KEY = "kiosk-visitor";
  function visitor() {
    try {
      var v = JSON.parse(sessionStorage.getItem(VISITOR_KEY) || "{}");
      return { size: v.size | 0, saved: Array.isArray(v.saved) ? v.saved : [] };
    } catch (e) { return { size: 0, saved: [] }; }
  }
  function keepVisitor(v) {
    try { sessionStorage.setItem(VISITOR_KEY, JSON.stringify(v)); } catch (e) { /* the choice lasts this page */ }
    showVisitor(v);
  }
  function forgetVisitor() {
    try { sessionStorage.removeItem(VISITOR_KEY); } catch (e) { /* nothing kept */ }
    showVisitor(visitor());
  }
  var sizeSteps = words.text_steps || ["", "", ""];
  function showVisitor(v) {
    var html = document.documentElement;
    if (v.size) html.setAttribute("data-kiosk-size", String(v.size)); else html.removeAttribute("data-kiosk-size");
    document.querySelectorAll("[data-kiosk-size-label]").forEach(function (label) {
      label.textContent = (words.text_size || label.textContent.split("·")[0]) + (v.size ? "·" + sizeSteps[v.size] : "");
    });
    document.querySelectorAll("[data-kiosk-saved-count]").forEach(function (n) { n.textContent = String(v.saved.length); });
    document.querySelectorAll("[data-kiosk-save]").forEach(function (button) {
      var saved = v.saved.indexOf(button.getAttribute("data-kiosk-save")) >= 0;
      button.setAttribute("aria-pressed", String(saved));
      button.textContent = saved ? words.saved : words.save;
    });
  }
  on("[data-kiosk-size-step]", function () {
    var v = visitor();
    v.size = (v.size + 1) % sizeSteps.length;
    keepVisitor(v);
  });
  on("[data-kiosk-save]", function (event) {
    var key = event.currentTarget.getAttribute("data-kiosk-save"), v = visitor();
    var at = v.saved.indexOf(key);
    if (at >= 0) {
      v.saved.splice(at, 1);
    } else {
      v.saved.push(key);
      report("save", key);
    }
    keepVisitor(v);
  });

  // 带走: one QR code of the public site's list page with the collected stories in its address.
  on("[data-kiosk-take-home-open]", function () {
    if (!takeHomeOverlay) return;
    var saved = visitor().saved;
    openOverlay(takeHomeOverlay);
    var holder = takeHomeOverlay.querySelector("[data-kiosk-take-home-code]");
    holder.textContent = "";
    takeHomeOverlay.querySelector("[data-kiosk-take-home-empty]").hidden = saved.length > 0;
    takeHomeOverlay.querySelector("[data-kiosk-take-home-hint]").textContent =
      saved.length ? String(words.take_home_hint).replace("{n}", saved.length) : "";
    if (!saved.length) return;
    var url = care.takeHome + "?s=" + saved.join(",");
    holder.setAttribute("data-url", url);
    import(new URL("assets/javascripts/share-qr.js", baseUrl).href).then(function (module) {
      if (!takeHomeOverlay.hidden && holder.getAttribute("data-url") === url) {
        holder.textContent = "";
        holder.appendChild(module.qrSvg(url, words.take_home_hint.replace("{n}", saved.length)));
      }
    });
  });

  // ---- opening hours: a calm closed screen outside them ---------------------------------------------------
  var closed = false;
  var closedScreen = document.querySelector("[data-kiosk-closed]");
  function minutes(text) { var p = String(text).split(":"); return 60 * parseInt(p[0], 10) + parseInt(p[1], 10); }
  function checkHours() {
    if (!care.hours || !closedScreen) return;
    var now = new Date(), day = now.getDay() || 7, at = now.getHours() * 60 + now.getMinutes();
    var open = care.hours.days.indexOf(day) >= 0 && at >= minutes(care.hours.opens) && at < minutes(care.hours.closes);
    if (open === !closed) return;
    closed = !open;
    closedScreen.hidden = open;
    document.documentElement.classList.toggle("kiosk-is-closed", closed);
    if (closed) {
      closeOverlays();
      if (attract) attract.stop();
      document.querySelectorAll("video, audio").forEach(function (m) { m.pause(); });
      if (window.qinglianReadAloud) window.qinglianReadAloud.stop();
      if (!config.isHome) goHome(); // the next visitor starts at home
    } else {
      resetIdle();
    }
  }

  // ---- the staff exit: a long press on the top-left corner, then the PIN ---------------------------------
  (function () {
    var corner = document.querySelector("[data-kiosk-staff-corner]");
    if (!corner || !staffOverlay || !care.staffPin) return;
    var LONG_PRESS_MS = 3000, pressTimer = 0, pin = "";
    var pinBox = staffOverlay.querySelector("[data-kiosk-pin]");
    var wrong = staffOverlay.querySelector("[data-kiosk-pin-wrong]");
    function showPin() { pinBox.textContent = pin.replace(/./g, "●"); }
    corner.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      window.clearTimeout(pressTimer);
      pressTimer = window.setTimeout(function () {
        pin = "";
        showPin();
        wrong.textContent = "";
        openOverlay(staffOverlay);
      }, LONG_PRESS_MS);
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (type) {
      corner.addEventListener(type, function () { window.clearTimeout(pressTimer); });
    });
    on("[data-pin-key]", function (event) {
      if (pin.length < 12) pin += event.currentTarget.getAttribute("data-pin-key");
      showPin();
    });
    on("[data-pin-ok]", function () {
      var typed = pin;
      pin = "";
      showPin();
      sha256Hex(care.staffPin.salt + typed).then(function (hex) {
        if (hex !== care.staffPin.sha256) {
          wrong.textContent = words.staff_wrong;
          return;
        }
        // kiosk/start.py checks the PIN again and closes the browser
        window.fetch(new URL("_staff/exit", baseUrl).href, { method: "POST", body: typed }).catch(function () {});
        document.documentElement.classList.add("kiosk-exiting");
      });
    });
  })();
  function sha256Hex(text) {
    return window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    });
  }

  // ---- usage counts: per day, on this computer only (kiosk/start.py writes them to a CSV) -------------------
  function report(event, item) {
    try {
      var url = new URL("_usage", baseUrl);
      url.searchParams.set("e", event);
      if (item) url.searchParams.set("i", item);
      if (navigator.sendBeacon) navigator.sendBeacon(url.href);
    } catch (e) { /* counting must never break the kiosk */ }
  }

  // Tests and the memory benchmark read the loop's state here.
  window.qinglianKiosk = { attract: attract, idleMs: idleMs, slideMs: slideMs, warnMs: warnMs };

  if (config.isHome && location.hash === "#attract") {
    history.replaceState(null, "", location.pathname + location.search);
    forgetVisitor(); // the idle reset: the next visitor starts with normal text and nothing collected
    if (attract) attract.start();
  }
  showVisitor(visitor());
  checkHours();
  window.setInterval(checkHours, 30000);
  if (!config.notFound) report("view", location.pathname.replace(baseUrl.pathname, "/"));
  resetIdle();

  function readJson(id) {
    // <head> only: the templates put the settings there (partials/kiosk-head.html), before any story text
    var node = document.head.querySelector('script#' + id + '[type="application/json"]');
    try {
      var read = JSON.parse(node.textContent);
      return read && typeof read === "object" ? read : null;
    } catch (e) {
      return null;
    }
  }

  function sameOrigin(address, fallback) {
    var url;
    try { url = new URL(address || fallback, location.href); } catch (e) { url = null; }
    return url && url.origin === location.origin ? url : new URL(fallback, location.href);
  }

  function readConfig() {
    var read = readJson("kiosk-config");
    return read && read.ui && typeof read.ui === "object" ? read
      : { home: "/", base: "/", idleSeconds: 90, isHome: false, ui: {} };
  }
})();
