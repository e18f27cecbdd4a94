/* Accessibility fixes for markup the theme and Sphinx generate. */
document.addEventListener("DOMContentLoaded", function () {
  // The bibliography is a div with role="list" whose entries are not list items.
  document.querySelectorAll(".citation-list[role='list']").forEach(function (el) {
    el.removeAttribute("role");
  });
  // Font Awesome icons are drawn from a web font (see scripts/fontawesome.js); their glyphs are
  // private-use characters, so hide them from screen readers. The buttons carry their own labels.
  document.querySelectorAll("i.fa-solid, i.fa-regular, i.fa-brands, i.fas, i.far, i.fab").forEach(function (el) {
    el.setAttribute("aria-hidden", "true");
  });
});
