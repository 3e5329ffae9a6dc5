/* 清廉慈利: the 投稿 page (docs/overrides/tougao.html). A family letter filled in on a phone is checked here with
   the rules of `make check` and becomes a story file for stories/letters/, to download, copy or send by e-mail.
   Nothing is sent anywhere by this script: no server, no account.

   window.qinglianTougaoRules (assets/javascripts/tougao-rules.js, generated at build time by
   hooks/qinglian/site/submission.py) brings the contract's JSON Schema of a letter, the checker's own messages
   and the private-data rules of hooks/qinglian/content/private_data.py, ported below; both must pass every
   case of hooks/qinglian/content/private_data_vectors.json (tests/test_tougao.py). */
(function () {
  "use strict";

  /* ---- private data: phone, resident ID, e-mail, bank card -------------------------------------------
     A port of hooks/qinglian/content/private_data.py, step by step (normalise, then find), run with its own
     patterns and constants (rules.private_rules, generated from it at build time). */

  var R = null, RX = {};
  function rx(name, extraFlags) {
    var key = name + (extraFlags || "");
    if (!RX[key]) RX[key] = new RegExp(R.patterns[name].source, R.patterns[name].flags + (extraFlags || ""));
    RX[key].lastIndex = 0;
    return RX[key];
  }

  function keepLines(m) { return "\n".repeat(m.split("\n").length - 1); }

  /* html.unescape for one entity, by the browser's own HTML parser (the same HTML5 rules) */
  var parser = null;
  function unescapeEntity(entity) {
    parser = parser || new DOMParser();
    var text = parser.parseFromString("<!doctype html><body>" + entity, "text/html").body.textContent;
    return text.replace(/[\n\r]/g, " ");
  }

  function normalise(text) {
    if (text.indexOf("<") >= 0) {
      text = text.replace(rx("comment", "g"), keepLines);
      text = text.replace(rx("tag", "g"), function (m, attrs) { return attrs && attrs.trim() ? " " + attrs + " " : keepLines(m); });
    }
    if (text.indexOf("%") >= 0) text = text.replace(rx("percent", "g"), function (m, hex) { return String.fromCharCode(parseInt(hex, 16)); });
    if (text.indexOf("&") >= 0) text = text.replace(rx("entity", "g"), unescapeEntity);
    text = text.normalize("NFKC");
    text = text.replace(rx("dot_word", "g"), ".");
    text = text.replace(rx("at_word", "g"), "@");
    text = text.replace(rx("markup", "g"), "");
    return text.replace(rx("chinese_run", "g"), function (m) {
      return Array.from(m).map(function (c) { return R.chinese_digits[c] || c; }).join("");
    });
  }

  function mightHold(text) {
    var digits = text.match(rx("any_digits", "g"));
    return (digits ? digits.length : 0) >= 11 || rx("chinese_run").test(text) || rx("maybe_email").test(text);
  }

  function validResidentId(number) {
    number = number.toUpperCase();
    if (!/^[0-9]{17}[0-9X]$/.test(number)) return false;
    var total = 0;
    for (var i = 0; i < 17; i++) total += Number(number[i]) * R.id_weights[i];
    if (R.id_check[total % 11] !== number[17]) return false;
    var year = Number(number.slice(6, 10)), month = Number(number.slice(10, 12)), day = Number(number.slice(12, 14));
    var born = new Date(Date.UTC(2000, 0, 1));
    born.setUTCFullYear(year, month - 1, day);
    if (month < 1 || born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) return false;
    return year >= 1900 && year <= new Date().getFullYear();
  }

  function luhnValid(digits) {
    var total = 0;
    Array.from(digits).reverse().forEach(function (c, index) {
      var d = Number(c);
      if (index % 2) d = d > 4 ? d * 2 - 9 : d * 2;
      total += d;
    });
    return total % 10 === 0;
  }

  function mask(value) {
    var at = value.indexOf("@");
    if (at >= 0) return Array.from(value.slice(0, at)).slice(0, 1).join("") + "***@" + value.slice(at + 1);
    var digits = value.replace(/[^0-9Xx]/g, "").toUpperCase();
    return digits.slice(0, 3) + "****" + digits.slice(-4);
  }

  function kindOf(digits) {
    if (digits.length === 18 && (digits.slice(6, 8) === "19" || digits.slice(6, 8) === "20") && validResidentId(digits)) return "resident_id";
    if (digits.indexOf("X") >= 0) return null;
    if (digits.length >= 16 && digits.length <= 19 && R.card_first_digits.indexOf(digits[0]) >= 0 &&
        !R.not_card_prefixes.some(function (p) { return digits.indexOf(p) === 0; })) {
      return luhnValid(digits) ? "bank_card" : null;
    }
    var national = digits.length === 13 && digits.indexOf("86") === 0 ? digits.slice(2) : digits;
    national = national.length === 15 && national.indexOf("0086") === 0 ? national.slice(4) : national;
    if (national.length === 11 && national[0] === "1" && "3456789".indexOf(national[1]) >= 0) return "phone";
    return null;
  }

  function inAmount(before, after) {
    return rx("decimal_before").test(before) || rx("amount_before").test(before) || rx("amount_after").test(after);
  }

  function numbers(plain, run, runStart) {
    var groups = [], m, re = rx("group", "g");
    while ((m = re.exec(run)) !== null) groups.push([m.index, m.index + m[0].length]);
    var digits = run.toUpperCase().replace(/[^0-9X]/g, "");
    var offsets = [0];
    groups.forEach(function (g) { offsets.push(offsets[offsets.length - 1] + g[1] - g[0]); });
    var found = [], first = 0;
    while (first < groups.length) {
      var taken = null;
      for (var last = first; last < groups.length; last++) {
        var total = offsets[last + 1] - offsets[first];
        if (total > 19) break;
        if (R.lengths.indexOf(total) < 0) continue;
        var joined = digits.slice(offsets[first], offsets[last + 1]);
        var kind = kindOf(joined);
        var start = runStart + groups[first][0], end = runStart + groups[last][1];
        if (kind && kind !== "resident_id" && inAmount(plain.slice(Math.max(start - 8, 0), start), plain.slice(end, end + 16))) kind = null;
        if (kind) {
          taken = [{ kind: kind, value: kind === "phone" ? joined.slice(-11) : joined, start: start }, last];
          if (kind === "resident_id") break;
        }
      }
      if (taken) { found.push(taken[0]); first = taken[1] + 1; } else { first += 1; }
    }
    return found;
  }

  function findNormalised(plain) {
    var found = [], m, re;
    if (plain.indexOf("@") >= 0) {
      re = rx("email", "g");
      while ((m = re.exec(plain)) !== null) found.push({ kind: "email", value: m[0], start: m.index });
    }
    re = rx("digit_run", "g");
    while ((m = re.exec(plain)) !== null) {
      if ((m[0].match(/[0-9]/g) || []).length >= 11) found = found.concat(numbers(plain, m[0], m.index));
      if (m[0].length === 0) re.lastIndex++;
    }
    found.sort(function (a, b) { return a.start - b.start; });
    return found.map(function (f) { return { kind: f.kind, masked: mask(f.value), start: f.start }; });
  }

  /* [{kind, masked, line}] for a text (line: 0-based, counted in the text as written) */
  function privateData(text) {
    if (!R) return [];
    if (!mightHold(text)) return [];
    var plain = normalise(text);
    return findNormalised(plain).map(function (f) {
      return { kind: f.kind, masked: f.masked, line: plain.slice(0, f.start).split("\n").length - 1 };
    });
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

  function privateProblem(rules, field, hit, where) {
    var info = rules.private[hit.kind];
    return { field: field, where: where, message: fill(info.message, { masked: hit.masked }), hint: rules.say.private_hint };
  }

  function privateProblems(rules, field, text) {
    return privateData(text).map(function (hit) { return privateProblem(rules, field, hit, ""); });
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
        if (meta[name]) problems = problems.concat(privateProblems(rules, name, meta[name]));
      });
      var paras = paragraphs(field("body").value);
      if (!paras.length) problems.push({ field: "body", message: say.body_required });
      /* the body as the file will have it, scanned whole as the checker does (a number may run over a line
         break); one paragraph every two lines */
      privateData(paras.join("\n\n")).forEach(function (hit) {
        problems.push(privateProblem(rules, "body", hit, fill(say.paragraph, { n: Math.floor(hit.line / 2) + 1 })));
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
  window.qinglianTougao = {
    privateData: privateData, normalise: normalise, storyFile: storyFile, normalisePunctuation: normalisePunctuation
  };

  var root = document.querySelector("[data-ql-tougao]");
  if (window.qinglianTougaoRules) {
    try {
      R = window.qinglianTougaoRules.private_rules;
      Object.keys(R.patterns).forEach(function (name) { rx(name); });
    } catch (e) {
      R = null; /* a browser without look-behind or \\p{…}: the editors' check still catches it */
    }
  }
  if (root && window.qinglianTougaoRules) setup(root, window.qinglianTougaoRules);
})();
