(function () {
  /* Runs in <head> before the page paints: the reader's font size and contrast, and their 简/繁 choice. */
  try {
    var d = document.documentElement, s = window.localStorage;
    var size = s.getItem("ql.size"), contrast = s.getItem("ql.contrast"), variant = s.getItem("ql.variant");
    if (size && size !== "0") d.setAttribute("data-ql-size", size);
    if (contrast === "1") d.setAttribute("data-ql-contrast", "1");
    var css = document.querySelector('link[href$="assets/stylesheets/qinglian.css"]');
    if (!variant || !css) return;
    var root = css.href.replace(/assets\/stylesheets\/qinglian\.css$/, "");
    if (location.href.indexOf(root) !== 0) return;
    var path = location.href.slice(root.length), hant = /^zh-hant(\/|$)/.test(path);
    if (variant === "hant" && !hant) location.replace(root + "zh-hant/" + path);
    else if (variant === "hans" && hant) location.replace(root + path.replace(/^zh-hant\/?/, ""));
  } catch (e) { /* no storage: the page stays as its address says */ }
})();
