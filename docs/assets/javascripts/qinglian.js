/* 清廉慈利: the reading bar. Font size and contrast are attributes on <html> (CSS does the rest);
   every choice is kept in localStorage, so the next page and the next visit look the same. */
(function () {
  var d = document.documentElement;
  function store(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function sync() {
    var size = d.getAttribute("data-ql-size") || "0";
    document.querySelectorAll("[data-ql-size]").forEach(function (b) {
      if (b !== d) b.setAttribute("aria-pressed", String(b.getAttribute("data-ql-size") === size));
    });
    var on = d.getAttribute("data-ql-contrast") === "1";
    document.querySelectorAll("[data-ql-contrast-toggle]").forEach(function (b) { b.setAttribute("aria-pressed", String(on)); });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button, a") : null;
    if (!target) return;
    if (target.hasAttribute("data-ql-size") && target.tagName === "BUTTON") {
      var size = target.getAttribute("data-ql-size");
      if (size === "0") d.removeAttribute("data-ql-size"); else d.setAttribute("data-ql-size", size);
      store("ql.size", size);
      sync();
    } else if (target.hasAttribute("data-ql-contrast-toggle")) {
      var on = d.getAttribute("data-ql-contrast") !== "1";
      if (on) d.setAttribute("data-ql-contrast", "1"); else d.removeAttribute("data-ql-contrast");
      store("ql.contrast", on ? "1" : "0");
      sync();
    } else if (target.hasAttribute("data-ql-set")) {
      store("ql.variant", target.getAttribute("data-ql-set"));  /* then the link opens the other edition */
    }
  });
  sync();
  /* Bars drawn to scale (the timeline's lives, the kiosk's 示范点 progress): the build writes the numbers into
     data- attributes and they are set here through the CSSOM, because the page's Content-Security-Policy
     allows no style="" attribute that is not known in advance. */
  document.querySelectorAll("[data-ql-width]").forEach(function (bar) {
    var left = parseFloat(bar.getAttribute("data-ql-left") || "0"), width = parseFloat(bar.getAttribute("data-ql-width"));
    if (isFinite(left) && left >= 0 && left <= 100) bar.style.left = left + "%";
    if (isFinite(width) && width >= 0 && width <= 100) bar.style.width = width + "%";
  });
  /* A story's ids carry the prefix user-content- (hooks/qinglian/site/sanitize.py); an address shared with the
     heading's plain name (#生平) still scrolls to it. */
  function followHash() {
    var name;
    try { name = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!name || document.getElementById(name)) return;
    var target = document.getElementById("user-content-" + name);
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", followHash);
  followHash();
  /* A dialog without a name (axe: aria-dialog-name) takes the page's. The search panel has its own name
     (partials/search.html, ui.search), so none is left that needs words of its own here. */
  document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])').forEach(function (el) {
    el.setAttribute("aria-label", document.title);
  });
})();
