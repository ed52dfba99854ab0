/* 信用盘锦 — progressive enhancement only; every page works without this file.
   1. A copy button for each citation block (the button does not exist without JavaScript), and the
      citation's retrieval date: today in Beijing time, which the page itself never carries (its bytes
      depend on its record only); without JavaScript it stays a blank to fill in.
   2. On the 404 page, emphasise the explanation that fits the requested address.
   3. A print button in the head of entry, subject and case pages (data-print-label); the print stylesheet
      leaves the site's chrome out. */
(function () {
  "use strict";

  function selectText(el) {
    var sel = window.getSelection && window.getSelection();
    if (!sel || !document.createRange) return;
    var range = document.createRange();
    range.selectNodeContents(el);
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function legacyCopy(el) {
    selectText(el);
    try { return document.execCommand && document.execCommand("copy"); } catch (e) { return false; }
  }

  // fillRetrieved writes today's date (Asia/Shanghai, written out as 2026年6月15日) into the citations.
  function fillRetrieved() {
    var spans = document.querySelectorAll("[data-cite-retrieved]");
    if (!spans.length) return;
    var text;
    try {
      text = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric" }).format(new Date());
    } catch (e) {
      return; // no Intl: the blank stays
    }
    Array.prototype.forEach.call(spans, function (span) { span.textContent = text; });
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll("[data-cite]");
    Array.prototype.forEach.call(blocks, function (block) {
      var text = block.querySelector(".cite-text");
      if (!text) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-copy";
      button.textContent = block.getAttribute("data-copy-label") || "Copy";
      var status = document.createElement("span");
      status.className = "cite-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      var done = function () { status.textContent = block.getAttribute("data-copied-label") || ""; };
      var failed = function () {
        // Leave the text selected so that the reader can copy it with the keyboard.
        if (legacyCopy(text)) { done(); return; }
        selectText(text);
        status.textContent = block.getAttribute("data-failed-label") || "";
      };
      button.addEventListener("click", function () {
        status.textContent = "";
        var value = (text.innerText || text.textContent || "").trim();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(value).then(done, failed);
        } else {
          failed();
        }
      });
      block.appendChild(button);
      block.appendChild(status);
    });
  }

  function addPrintButtons() {
    if (!window.print) return;
    var heads = document.querySelectorAll("[data-print-label]");
    Array.prototype.forEach.call(heads, function (head) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "print-button";
      button.textContent = head.getAttribute("data-print-label");
      button.addEventListener("click", function () { window.print(); });
      head.appendChild(button);
    });
    // A printout shows what the disclosures hold (the dates an entry's end date follows from).
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
    });
  }

  function refineNotFound() {
    var page = document.querySelector("[data-not-found]");
    if (!page) return;
    var path = window.location.pathname || "";
    var notes = page.querySelectorAll("[data-path-prefix]");
    Array.prototype.forEach.call(notes, function (note) {
      var prefixes = (note.getAttribute("data-path-prefix") || "").split(" ");
      var relevant = prefixes.some(function (p) { return p && path.indexOf(p) === 0; });
      if (relevant) note.classList.add("is-relevant");
      else note.hidden = true;
    });
  }

  function init() {
    fillRetrieved();
    addCopyButtons();
    addPrintButtons();
    refineNotFound();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* 3. Search suggestions (xinyong serve's /api/search) under every search box: after two characters and a
   pause in typing, the first matches appear in a list that the arrow keys, Enter and Escape work (the ARIA
   combobox pattern). Without JavaScript, or when the API does not answer, the form is a plain GET to
   /search/ as before. Names are written as text nodes: nothing from the API becomes markup. */
(function () {
  "use strict";

  var MIN_CHARS = 2, DELAY = 250, SIZE = 8;
  var counter = 0;

  function enhance(input) {
    if (!window.fetch || !window.AbortController || !input.form) return;
    var row = input.parentNode;
    var label = input.form.querySelector("label[for='" + input.id + "']");
    var list = document.createElement("ul");
    var id = "search-suggest-" + (++counter);
    var timer = 0, pending = null, items = [], active = -1, lastQuery = "";

    list.id = id;
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    if (label) list.setAttribute("aria-label", label.textContent);
    list.hidden = true;
    row.classList.add("search-suggest-host");
    row.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function select(i) {
      if (active >= 0 && items[active]) items[active].el.setAttribute("aria-selected", "false");
      active = i;
      if (i < 0 || !items[i]) { input.removeAttribute("aria-activedescendant"); return; }
      items[i].el.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[i].el.id);
      items[i].el.scrollIntoView({ block: "nearest" });
    }

    function go(i) {
      var hit = items[i] && items[i].hit;
      if (hit && typeof hit.url === "string" && hit.url.charAt(0) === "/" && hit.url.charAt(1) !== "/") {
        window.location.assign(hit.url);
      }
    }

    function render(hits) {
      list.textContent = "";
      items = [];
      active = -1;
      hits.forEach(function (hit, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        (hit.segments && hit.segments.length ? hit.segments : [{ text: hit.name }]).forEach(function (seg) {
          var node = seg.matched ? document.createElement("mark") : document.createElement("span");
          node.textContent = seg.text;
          name.appendChild(node);
        });
        li.appendChild(name);
        var meta = hit.code || hit.summary;
        if (meta) {
          var small = document.createElement("span");
          small.className = "suggest-meta";
          small.textContent = meta;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); go(i); });
        list.appendChild(li);
        items.push({ el: li, hit: hit });
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function lookup(q) {
      if (pending) pending.abort();
      pending = new AbortController();
      var url = "/api/search?size=" + SIZE + "&q=" + encodeURIComponent(q);
      fetch(url, { signal: pending.signal, headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.json() : { hits: [] }; })
        .then(function (res) { if (input.value.trim() === q) render(res.hits || []); })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (q === lastQuery) return;
      lastQuery = q;
      if (q.length < MIN_CHARS) {
        if (pending) pending.abort();
        close();
        return;
      }
      timer = setTimeout(function () { lookup(q); }, DELAY);
    });

    input.addEventListener("keydown", function (ev) {
      if (list.hidden || !items.length) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); select((active + 1) % items.length); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); select(active <= 0 ? items.length - 1 : active - 1); }
      else if (ev.key === "Escape") { ev.preventDefault(); close(); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); go(active); }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    var inputs = document.querySelectorAll("form.search-form input[name='q']");
    Array.prototype.forEach.call(inputs, enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
