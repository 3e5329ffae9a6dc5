/* 朗读: a story read aloud by the device's own speech synthesis, sentence by sentence, the sentence being read
   highlighted. Only when the device has a Chinese voice: otherwise no control is made at all. Nothing is sent
   anywhere; the words come from the page (data-ql-say, hooks/qinglian/site/ui.py). */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var VOICE_WAIT_MS = 2500; // voices load asynchronously; after this the device is taken to have none
  var TERMINATORS = /[^。！？；…!?;]*[。！？；…!?;]+[”’」』）)"']*|[^。！？；…!?;]+$/g;
  var SKIP = "script, style, audio, video, figure, .headerlink, .footnote-ref, .ql-read-aloud";

  // The best Chinese voice: the page's own variety first (zh-Hant pages: Taiwan, Hong Kong), then Mandarin.
  function chineseVoice(voices) {
    var hant = /^zh-hant/i.test(document.documentElement.lang || "");
    var order = hant ? ["zh-tw", "zh-hant", "zh-hk", "zh-cn", "cmn", "zh"] : ["zh-cn", "cmn", "zh-hans", "zh", "zh-tw", "zh-hk"];
    var best = null, bestRank = order.length;
    voices.forEach(function (voice) {
      // A voice of an online service (Edge's "Online (Natural)" ones) would send the text to another host.
      if (voice.localService === false) return;
      var lang = String(voice.lang || "").toLowerCase().replace(/_/g, "-");
      for (var i = 0; i < bestRank; i++) {
        if (lang.indexOf(order[i]) === 0) { best = voice; bestRank = i; break; }
      }
    });
    return best;
  }

  function whenVoices(done) {
    var voices = synth.getVoices();
    if (voices.length) return done(voices);
    var finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      synth.removeEventListener("voiceschanged", finish);
      done(synth.getVoices());
    }
    synth.addEventListener("voiceschanged", finish);
    window.setTimeout(finish, VOICE_WAIT_MS);
  }

  // Wrap the text of each block in <span data-ql-s="N"> pieces, a new N after 。！？；…: the text is unchanged.
  function markSentences(body) {
    var sentences = [];
    var blocks = body.querySelectorAll("p, li, h2, h3, h4, h5, h6, dt, dd, td, th, figcaption, blockquote");
    Array.prototype.forEach.call(blocks, function (block) {
      if (block.closest(SKIP) || block.querySelector("p, li, h2, h3, h4, blockquote, table, ul, ol")) return;
      var nodes = [], walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode;
        if (node.parentElement.closest(SKIP) || !node.nodeValue.trim()) continue;
        nodes.push(node);
      }
      var open = null; // the sentence still waiting for its terminator
      nodes.forEach(function (node) {
        var pieces = node.nodeValue.match(TERMINATORS) || [node.nodeValue];
        var fragment = document.createDocumentFragment();
        pieces.forEach(function (piece) {
          if (!open) { open = { text: "", spans: [] }; sentences.push(open); }
          var span = document.createElement("span");
          span.className = "ql-sentence";
          span.setAttribute("data-ql-s", String(sentences.length - 1));
          span.textContent = piece;
          fragment.appendChild(span);
          open.text += piece;
          open.spans.push(span);
          if (/[。！？；…!?;][”’」』）)"']*$/.test(piece)) open = null;
        });
        node.parentNode.replaceChild(fragment, node);
      });
    });
    return sentences.filter(function (s) { return s.text.trim(); });
  }

  function setup(voice) {
    var box = document.querySelector("[data-ql-read-aloud]");
    var body = document.querySelector(".ql-story__body");
    if (!box || !body || box.hasAttribute("data-ql-ready")) return;
    box.setAttribute("data-ql-ready", "");
    var words = {};
    try { words = JSON.parse(box.getAttribute("data-ql-say") || "{}"); } catch (e) { /* defaults below */ }
    var speeds = words.speeds || [["0.75", 0.75], ["1", 1], ["1.3", 1.3]];
    var sentences = null, index = 0, playing = false, serial = 0, rate = 1;

    var play = document.createElement("button");
    play.type = "button";
    play.className = "ql-read-aloud__play";
    play.setAttribute("aria-pressed", "false");
    play.setAttribute("data-ql-read-aloud-play", "");
    var speedGroup = document.createElement("span");
    speedGroup.className = "ql-read-aloud__speeds";
    speedGroup.setAttribute("role", "group");
    speedGroup.setAttribute("aria-label", words.speed || "");
    var label = document.createElement("span");
    label.className = "ql-read-aloud__label";
    label.setAttribute("aria-hidden", "true");
    label.textContent = words.speed || "";
    speedGroup.appendChild(label);
    speeds.forEach(function (step) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = step[0];
      b.setAttribute("data-ql-rate", String(step[1]));
      b.setAttribute("aria-pressed", String(step[1] === rate));
      b.addEventListener("click", function () {
        rate = step[1];
        speedGroup.querySelectorAll("button").forEach(function (o) { o.setAttribute("aria-pressed", String(o === b)); });
        if (playing) speak(); // the sentence again, at the new speed
      });
      speedGroup.appendChild(b);
    });
    box.appendChild(play);
    box.appendChild(speedGroup);
    box.hidden = false;

    function show() {
      play.textContent = playing ? words.pause : (index > 0 ? words.resume : words.play);
      play.setAttribute("aria-pressed", String(playing));
    }
    function highlight() {
      body.querySelectorAll(".ql-sentence--reading").forEach(function (s) { s.classList.remove("ql-sentence--reading"); });
      var current = playing && sentences[index];
      if (!current) return;
      current.spans.forEach(function (s) { s.classList.add("ql-sentence--reading"); });
      var rect = current.spans[0].getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) current.spans[0].scrollIntoView({ block: "center" });
    }
    // One utterance per sentence: Chrome stops long utterances after some seconds, and the highlight follows.
    function speak() {
      var mine = ++serial;
      synth.cancel();
      if (index >= sentences.length) { index = 0; playing = false; show(); highlight(); return; }
      var utterance = new SpeechSynthesisUtterance(sentences[index].text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = rate;
      utterance.onend = function () {
        if (mine !== serial || !playing) return; // cancelled: paused, left, or the speed changed
        index++;
        speak();
      };
      utterance.onerror = utterance.onend;
      highlight();
      synth.speak(utterance);
    }
    function stop() { // pause: speechSynthesis.pause() is unreliable on phones, so stop and remember the sentence
      if (!playing) return;
      playing = false;
      serial++;
      synth.cancel();
      show();
      highlight();
    }
    play.addEventListener("click", function () {
      if (playing) return stop();
      if (!sentences) sentences = markSentences(body);
      if (!sentences.length) return;
      playing = true;
      show();
      speak();
    });
    // The reader leaves: another page, another tab, the phone locked.
    window.addEventListener("pagehide", stop);
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
    if (window.document$ && window.document$.subscribe) { // Material's instant navigation swaps the page in place
      var first = true;
      window.document$.subscribe(function () { if (first) { first = false; return; } stop(); });
    }
    window.qinglianReadAloud = { stop: stop, get playing() { return playing; } }; // the kiosk's idle timer asks
    show();
  }

  if (!synth || typeof SpeechSynthesisUtterance === "undefined") return;
  synth.cancel(); // nothing left speaking from a page before this one
  whenVoices(function (voices) {
    var voice = chineseVoice(voices);
    if (voice) setup(voice);
  });
})();
