/* Accessibility fixes for markup the theme and Sphinx generate:
   the bibliography is a div with role="list" whose entries are not list items. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".citation-list[role='list']").forEach(function (el) {
    el.removeAttribute("role");
  });
});
