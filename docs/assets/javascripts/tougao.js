/* 清廉慈利: the 投稿 page (docs/overrides/tougao.html). A family letter filled in on a phone is checked here with
   the rules of `make check` and becomes a story file for stories/letters/, to download, copy or send by e-mail.
   Nothing is sent anywhere by this script: no server, no account.

   window.qinglianTougaoRules (assets/javascripts/tougao-rules.js, generated at build time by
   hooks/qinglian/site/submission.py) brings the contract's JSON Schema of a letter and the checker's own
   messages. The private-data patterns below follow hooks/qinglian/content/lint.py (private_data); both must
   pass every case of hooks/qinglian/content/private_data_vectors.json (tests/test_tougao.py). */
(function () {
  "use strict";

  /* ---- private data: phone, resident ID, e-mail, bank card (as lint.private_data) ---------------------- */

  var PATTERNS = null;
  try {
    /* \p{Nd} where Python's re has \d: it matches every decimal digit, full-width ones too */
    PATTERNS = {
      email: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gu,
      resident_id: /(?<![0-9A-Za-z])\p{Nd}{17}[0-9Xx](?![0-9A-Za-z])/gu,
      bank_card: /(?<![0-9A-Za-z.,])(?:\p{Nd}{16,19}|\p{Nd}{4}(?:[ -]\p{Nd}{4}){3}(?:[ -]?\p{Nd}{1,3})?)(?![0-9A-Za-z]|[.,]\p{Nd})/gu,
      phone: /(?<![0-9A-Za-z.,])1[3-9]\p{Nd}[ -]?\p{Nd}{4}[ -]?\p{Nd}{4}(?![0-9A-Za-z]|[.,]\p{Nd}|\s*(?:元|万|亿|美元|块))/gu,
      url: /(?:https?|ftp):\/\/[^\s<>"'）)\]]+|www\.[^\s<>"'）)\]]+/gu,
      longNumber: /\p{Nd}(?:[ -]?\p{Nd}){10}/u
    };
  } catch (e) {
    PATTERNS = null; /* a browser without look-behind: the editors' check still catches it */
  }

  function digitValue(ch) { return parseInt(ch.normalize("NFKC"), 10); }
  function digitsOf(text) { return Array.from(text.replace(/[^\p{Nd}]/gu, "")).map(digitValue); }

  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = "10X98765432";

  function validResidentId(number) {
    number = number.toUpperCase();
    if (!/^\p{Nd}{17}[0-9X]$/u.test(number)) return false;
    var chars = Array.from(number);
    var digits = chars.slice(0, 17).map(digitValue);
    var total = 0;
    for (var i = 0; i < 17; i++) total += digits[i] * ID_WEIGHTS[i];
    if (ID_CHECK[total % 11] !== chars[17]) return false;
    var year = Number(digits.slice(6, 10).join("")), month = Number(digits.slice(10, 12).join(""));
    var day = Number(digits.slice(12, 14).join(""));
    var born = new Date(Date.UTC(year, month - 1, day));
    if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) return false;
    return year >= 1900 && year <= new Date().getFullYear();
  }

  function luhnValid(digits) {
    var total = 0;
    digits.slice().reverse().forEach(function (d, index) {
      if (index % 2) d = d > 4 ? d * 2 - 9 : d * 2;
      total += d;
    });
    return total % 10 === 0;
  }

  function looksLikeYears(value) {
    var groups = value.split(/[ -]/);
    return groups.length > 1 && groups.every(function (g) { return /^(?:1[5-9]|20)\p{Nd}\p{Nd}$/u.test(g); });
  }

  function mask(value) {
    if (value.indexOf("@") >= 0) {
      var at = value.indexOf("@");
      return Array.from(value.slice(0, at)).slice(0, 1).join("") + "***@" + value.slice(at + 1);
    }
    var digits = value.replace(/[^0-9Xx]/g, "").toUpperCase();
    return digits.slice(0, 3) + "****" + digits.slice(-4);
  }

  var VALID = {
    email: function () { return true; },
    resident_id: validResidentId,
    bank_card: function (v) { return !looksLikeYears(v) && luhnValid(digitsOf(v)); },
    phone: function () { return true; }
  };

  /* [{kind, masked}] for one line of text, in the order lint.private_data reports them */
  function privateData(text) {
    var found = [];
    if (!PATTERNS) return found;
    var hasAt = text.indexOf("@") >= 0, hasNumber = PATTERNS.longNumber.test(text);
    if (!hasAt && !hasNumber) return found;
    if (text.indexOf("://") >= 0 || text.indexOf("www.") >= 0) {
      text = text.replace(PATTERNS.url, function (m) { return " ".repeat(m.length); });
    }
    function take(kind) {
      var pattern = PATTERNS[kind], matches = [], m;
      pattern.lastIndex = 0;
      while ((m = pattern.exec(text)) !== null) matches.push({ value: m[0], index: m.index });
      matches.forEach(function (match) {
        if (!VALID[kind](match.value)) return;
        found.push({ kind: kind, masked: mask(match.value) });
        text = text.slice(0, match.index) + " ".repeat(match.value.length) + text.slice(match.index + match.value.length);
      });
    }
    if (hasAt) take("email");
    if (hasNumber) { take("resident_id"); take("bank_card"); take("phone"); }
    return found;
  }

  /* ---- the story file ----------------------------------------------------------------------------------- */

  var CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var FULL = { ",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）" };
  var AFTER_CJK = new RegExp("(?<=[" + CJK + "])[,;:!?()]", "g");
  var BEFORE_CJK = new RegExp("[?()](?=[" + CJK + "])", "g");

  /* Half-width punctuation in Chinese text becomes full-width, as hooks/import.py does (the checker's
     mixed-punctuation and question-mark rules would refuse the file otherwise). */
  function normalisePunctuation(text) {
    function full(p) { return FULL[p]; }
    return text.replace(AFTER_CJK, full).replace(BEFORE_CJK, full);
  }

  function clean(value) { return normalisePunctuation(String(value || "").replace(/\r\n?/g, "\n").trim()); }

  /* the letter's paragraphs: one per non-empty line */
  function paragraphs(body) {
    return clean(body).split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
  }

  /* JSON strings are valid YAML double-quoted scalars: nothing a family types can break the front matter */
  function storyFile(meta, body) {
    var lines = ["---"];
    Object.keys(meta).forEach(function (key) { lines.push(key + ": " + JSON.stringify(meta[key])); });
    lines.push("---", "");
    return lines.join("\n") + "\n" + paragraphs(body).join("\n\n") + "\n";
  }

  /* ---- checking with the contract's schema ------------------------------------------------------------- */

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? String(values[key]) : m; });
  }

  function typeOk(type, value) {
    if (type === "string") return typeof value === "string";
    if (type === "boolean") return typeof value === "boolean";
    if (type === "integer") return typeof value === "number" && Math.floor(value) === value;
    if (type === "array") return Array.isArray(value);
    if (type === "object") return value !== null && typeof value === "object" && !Array.isArray(value);
    return true;
  }

  /* The form's front matter against the schema: [{field, message}] with the checker's words. */
  function schemaProblems(rules, meta) {
    var schema = rules.schema, problems = [];
    schema.required.forEach(function (name) {
      if (!(name in meta) && rules.fields[name]) problems.push({ field: name, message: rules.fields[name].messages.required });
    });
    Object.keys(meta).forEach(function (name) {
      var rule = schema.properties[name], value = meta[name], messages = (rules.fields[name] || {}).messages || {};
      if (!rule) return;
      var types = rule.type ? [].concat(rule.type) : null;
      if (types && !types.some(function (t) { return typeOk(t, value); })) {
        problems.push({ field: name, message: messages.required || name });
      } else if (rule.pattern && typeof value === "string" && !new RegExp(rule.pattern, "u").test(value)) {
        problems.push({ field: name, message: messages.required || name });
      } else if (rule.maxLength && typeof value === "string" && Array.from(value).length > rule.maxLength) {
        problems.push({ field: name, message: fill(messages.maxLength, { n: Array.from(value).length }) });
      } else if (rule.enum && rule.enum.indexOf(value) < 0) {
        problems.push({ field: name, message: fill(messages.enum, { value: value }) });
      }
    });
    return problems;
  }

  function privateProblems(rules, field, text, where) {
    return privateData(text).map(function (hit) {
      var info = rules.private[hit.kind];
      return { field: field, where: where, message: fill(info.message, { masked: hit.masked }), hint: rules.say.private_hint };
    });
  }

  /* ---- the page ---------------------------------------------------------------------------------------- */

  function setup(root, rules) {
    var form = root.querySelector("[data-ql-tougao-form]");
    var errors = root.querySelector("[data-ql-errors]");
    var errorList = root.querySelector("[data-ql-error-list]");
    var result = root.querySelector("[data-ql-result]");
    var say = rules.say;
    var params = new URLSearchParams(window.location.search);
    var about = params.get("about"), aboutTitle = params.get("title") || about;
    var correction = Boolean(about) && /^[a-z0-9/-]+$/.test(about);
    var mailto = root.getAttribute("data-ql-mailto");
    var fileUrl = null;

    function field(name) { return form.elements[name]; }
    function value(name) { var el = field(name); return el ? clean(el.value) : ""; }

    if (correction) {
      root.querySelectorAll("[data-ql-letter-only]").forEach(function (el) { el.hidden = true; });
      root.querySelectorAll("[data-ql-correction-only]").forEach(function (el) { el.hidden = false; });
      root.querySelectorAll("[data-ql-correction-text]").forEach(function (el) {
        el.textContent = el.getAttribute("data-ql-correction-text");
      });
      var link = root.querySelector("[data-ql-about]");
      link.textContent = aboutTitle;
      link.href = new URL("../" + about, window.location.href).pathname;
    } else {
      /* a link may bring a title or a township along (?title=…&township=…) */
      ["title", "author", "relation", "township"].forEach(function (name) {
        if (params.get(name) && field(name)) field(name).value = params.get(name);
      });
    }

    function clearMarks() {
      form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
      form.querySelectorAll(".ql-field__error").forEach(function (el) { el.remove(); });
      errorList.textContent = "";
      errors.hidden = true;
    }

    /* a field's name in the list of problems: its label, or for the tick box its fieldset's legend */
    function label(name) {
      var input = field(name);
      if (input && input.type === "checkbox") return input.closest("fieldset").querySelector("legend").textContent.trim();
      var el = form.querySelector('label[for="ql-' + name.replace("_", "-") + '"]:not([hidden])');
      return el ? el.textContent.trim() : name;
    }

    function show(problems) {
      problems.forEach(function (p, index) {
        var input = field(p.field) || field("body");
        var text = p.message + (p.hint ? " " + p.hint : "");
        var id = "ql-error-" + index;
        var note = document.createElement("span");
        note.className = "ql-field__error";
        note.id = id;
        note.textContent = (p.where ? p.where + "：" : "") + text;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "").replace(/\s*ql-error-\d+/g, "") + " " + id).trim());
        input.closest(".ql-field").appendChild(note);
        var item = document.createElement("li");
        var jump = document.createElement("a");
        jump.href = "#" + input.id;
        jump.textContent = label(p.field === "body" ? "body" : p.field) + "：" + note.textContent;
        item.appendChild(jump);
        item.setAttribute("data-ql-error-field", p.field);
        errorList.appendChild(item);
      });
      errors.hidden = false;
      errors.focus();
    }

    function letterMeta() {
      var meta = {};
      ["title", "summary", "author", "relation", "township"].forEach(function (name) {
        var v = value(name);
        if (v) meta[name] = v;
      });
      if (field("consent").checked) meta.consent = true;
      return meta;
    }

    function checkLetter(meta) {
      var problems = schemaProblems(rules, meta);
      ["title", "summary", "author", "relation"].forEach(function (name) {
        if (meta[name]) problems = problems.concat(privateProblems(rules, name, meta[name], ""));
      });
      var paras = paragraphs(field("body").value);
      if (!paras.length) problems.push({ field: "body", message: say.body_required });
      paras.forEach(function (text, i) {
        problems = problems.concat(privateProblems(rules, "body", text, fill(say.paragraph, { n: i + 1 })));
      });
      if (!meta.consent) problems.push({ field: "consent", message: say.consent_required });
      return problems;
    }

    function editorNote() {
      var lines = [];
      if (correction) lines.push(say.mail_about + aboutTitle + "（" + new URL("../" + about, window.location.href).href + "）", "");
      if (value("note")) lines.push((correction ? "" : say.mail_note) + value("note"), "");
      var contact = [value("contact_name"), value("contact")].filter(Boolean).join("，");
      if (contact) lines.push(say.mail_contact + contact);
      return lines.join("\n").trim();
    }

    function mailHref(subject, body) {
      return "mailto:" + mailto + "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearMarks();
      result.hidden = true;
      var problems, text = "", meta = {};
      if (correction) {
        problems = value("note") ? [] : [{ field: "note", message: say.correction_required }];
      } else {
        meta = letterMeta();
        problems = checkLetter(meta);
      }
      if (problems.length) { show(problems); return; }
      var note = editorNote();
      root.querySelector("[data-ql-editor-note]").value = note;
      var subject;
      if (correction) {
        subject = fill(say.correction_subject, { title: aboutTitle });
      } else {
        text = storyFile(meta, field("body").value);
        root.querySelector("[data-ql-file]").value = text;
        if (fileUrl) URL.revokeObjectURL(fileUrl);
        fileUrl = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
        var download = root.querySelector("[data-ql-download]");
        download.href = fileUrl;
        var now = new Date();
        download.download = "tougao-" + now.getFullYear() + String(now.getMonth() + 1).padStart(2, "0") +
          String(now.getDate()).padStart(2, "0") + "-" + String(now.getHours()).padStart(2, "0") +
          String(now.getMinutes()).padStart(2, "0") + ".md";
        subject = fill(say.mail_subject, { title: meta.title });
      }
      var mail = root.querySelector("[data-ql-mail]");
      if (mail && mailto) mail.href = mailHref(subject, [note, text ? say.mail_file + "\n\n" + text : ""].filter(Boolean).join("\n\n"));
      result.hidden = false;
      root.querySelector("#ql-result-title").focus();
    });

    root.querySelector("[data-ql-copy]").addEventListener("click", function () {
      var status = root.querySelector("[data-ql-copy-status]");
      var text = [root.querySelector("[data-ql-editor-note]").value, correction ? "" : root.querySelector("[data-ql-file]").value]
        .filter(Boolean).join("\n\n");
      function done(ok) {
        status.textContent = status.getAttribute(ok ? "data-ql-copied" : "data-ql-copy-failed");
        if (!ok) { /* no clipboard (a page not served over https): select the text for a long press */
          var box = root.querySelector(correction ? "[data-ql-editor-note]" : "[data-ql-file]");
          box.focus();
          box.select();
        }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        done(false);
      }
    });
  }

  /* for the tests and the editors: the same checks the page applies */
  window.qinglianTougao = { privateData: privateData, storyFile: storyFile, normalisePunctuation: normalisePunctuation };

  var root = document.querySelector("[data-ql-tougao]");
  if (root && window.qinglianTougaoRules) setup(root, window.qinglianTougaoRules);
})();
