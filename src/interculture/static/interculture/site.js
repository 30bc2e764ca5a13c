// Site-wide behaviour of every page (loaded by base.html, not deferred).
// 1. The site menu on a narrow screen: a "Menu" button shows and hides it. The CSS hides the
//    menu only when this script runs, so without JavaScript the menu is simply listed.
// 2. A table wider than the screen scrolls inside its own region (labelled by its caption and
//    focusable, so it can be scrolled from the keyboard), never the whole page.
document.documentElement.classList.add("has-menu-toggle");

function setUpMenu() {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  const show = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      show(false);
      toggle.focus();
    }
  });
}

let tableCount = 0;
function scrollRegion(table) {
  let region = table.parentElement;
  if (!region.classList.contains("table-scroll")) {
    region = document.createElement("div");
    region.className = "table-scroll";
    table.before(region);
    region.append(table);
  }
  return region;
}

function markScrollableTables() {
  document.querySelectorAll("main table").forEach((table) => {
    const region = scrollRegion(table);
    if (region.scrollWidth > region.clientWidth + 1) {
      const caption = table.querySelector("caption");
      if (caption) {
        caption.id = caption.id || `table-caption-${++tableCount}`;
        region.setAttribute("aria-labelledby", caption.id);
      }
      region.setAttribute("role", "region");
      region.tabIndex = 0;
    } else {
      region.removeAttribute("role");
      region.removeAttribute("aria-labelledby");
      region.removeAttribute("tabindex");
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpMenu();
  markScrollableTables();
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(markScrollableTables);
  });
  // Tables that htmx swaps in later are handled too.
  document.body.addEventListener("htmx:afterSettle", markScrollableTables);
});
