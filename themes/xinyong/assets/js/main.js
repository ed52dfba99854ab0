/* 信用盘锦 — progressive enhancement only; every page works without this file.
   1. A copy button for each citation block (the button does not exist without JavaScript).
   2. On the 404 page, emphasise the explanation that fits the requested address. */
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
    addCopyButtons();
    refineNotFound();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
