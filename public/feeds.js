// Copy buttons on the feed pages (/feeds, /tags/<tag>/feeds, /authors/<author>/feeds). Each
// button names the element holding its address (data-copy) and says what to announce once it is
// copied (data-copied); the status line says what to announce when copying is refused
// (data-blocked): the page writes them in the site's language, this file has no words. Buttons
// stay hidden until this runs, so a page without script shows no dead controls; its addresses
// are selectable text either way.
"use strict";
(() => {
  const status = document.getElementById("copy-status");
  const say = (text) => {
    if (!status) return;
    // Emptied first so the same message twice is announced twice.
    status.textContent = "";
    setTimeout(() => {
      status.textContent = text;
    }, 50);
  };
  // Selects the address on the page: what a person copies by hand if the clipboard is refused.
  const select = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  };
  const fallback = (element) => {
    select(element);
    try {
      if (document.execCommand("copy")) return true;
    } catch {
      // Not allowed here: the selection stays for the reader to copy.
    }
    return false;
  };
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const target = document.getElementById(button.dataset.copy ?? "");
    if (!target) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = target.textContent.trim();
      let copied = false;
      // The Clipboard API needs a secure context (https or localhost).
      if (navigator.clipboard && window.isSecureContext) {
        try {
          await navigator.clipboard.writeText(text);
          copied = true;
        } catch {
          copied = false;
        }
      }
      if (!copied) copied = fallback(target);
      say(copied ? (button.dataset.copied ?? "") : (status?.dataset.blocked ?? ""));
    });
  }
})();
