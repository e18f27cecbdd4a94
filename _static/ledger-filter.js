/* Filter tables of class "filterable" by the <select data-filter-column> controls before them;
   the controls are hidden in the page until this script shows them. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".ledger-filters").forEach(function (controls) {
    var table = controls.parentElement.querySelector("table.filterable");
    if (!table) { return; }
    controls.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = controls.querySelectorAll("select[data-filter-column]");
    var count = controls.querySelector(".ledger-count");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = Array.prototype.every.call(selects, function (s) {
          var col = parseInt(s.getAttribute("data-filter-column"), 10);
          return !s.value || row.cells[col].textContent.trim() === s.value;
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " checks shown"; }
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  });
});
