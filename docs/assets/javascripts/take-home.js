/* /collection/?s=letters/a,units/b: the stories a kiosk visitor collected, listed from the site's own story index
   (export/stories.json). The list lives only in the address; nothing is stored or sent. */
(function () {
  "use strict";
  var box = document.querySelector("[data-ql-take-home]");
  var script = document.currentScript;
  if (!box || !script) return;
  var status = box.querySelector("[data-ql-take-home-status]");
  var list = box.querySelector("[data-ql-take-home-list]");
  var words = {};
  try { words = JSON.parse(box.getAttribute("data-ql-say") || "{}"); } catch (e) { /* the page's own text stays */ }
  var root = new URL("../../", script.src); // assets/javascripts/ -> the site's root (the 繁體 mirror shares it)
  var edition = /\/zh-hant\//.test(location.pathname) ? "zh-hant/" : "";
  var wanted = (new URLSearchParams(location.search).get("s") || "").split(",")
    .map(function (key) { return key.trim(); })
    .filter(function (key, i, all) { return /^[a-z]+\/[a-z0-9-]+$/.test(key) && all.indexOf(key) === i; })
    .slice(0, 50);

  function show(stories) {
    var byKey = {};
    stories.forEach(function (story) { byKey[story.collection + "/" + story.slug] = story; });
    var found = wanted.filter(function (key) { return byKey[key]; });
    list.textContent = "";
    found.forEach(function (key) {
      var story = byKey[key];
      var li = document.createElement("li"); // as partials/ql-story-card.html
      li.className = "ql-card";
      var a = document.createElement("a");
      a.href = new URL(edition + key + "/", root).href; // a story's address is collection/slug/ (Story.url)
      var title = document.createElement("strong");
      title.className = "ql-card__title";
      title.textContent = story.title;
      var kind = document.createElement("span");
      kind.className = "ql-card__kind";
      kind.textContent = story.collection_name || "";
      var summary = document.createElement("span");
      summary.className = "ql-card__summary";
      summary.textContent = story.summary || "";
      a.appendChild(kind);
      a.appendChild(title);
      a.appendChild(summary);
      li.appendChild(a);
      list.appendChild(li);
    });
    var missing = wanted.length - found.length;
    status.textContent = !found.length ? words.empty : (missing ? String(words.missing).replace("{n}", missing) : "");
    status.hidden = !status.textContent;
  }

  if (!wanted.length) { show([]); return; }
  fetch(new URL("export/stories.json", root).href)
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(function (index) { show(index.stories || []); })
    .catch(function () { status.textContent = words.unavailable; });
})();
