// The reader's time zone, from the browser, for the sign-up forms: each element marked
// data-browser-zone gets it. A hidden input takes the zone's name (the server resolves old
// spellings); a <select> of zones gets the option whose value, or one of whose data-aliases, is
// that name. Without this script, or where the browser names no zone, the site's zone stays.
"use strict";
(() => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  if (!zone) return;
  for (const element of document.querySelectorAll("[data-browser-zone]")) {
    if (element instanceof HTMLSelectElement) {
      const option = Array.from(element.options).find(
        (o) => o.value === zone || (o.dataset.aliases || "").split(" ").includes(zone),
      );
      if (option) option.selected = true;
    } else if (element instanceof HTMLInputElement && element.value === "") {
      element.value = zone;
    }
  }
})();
