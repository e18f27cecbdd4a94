/* Charts: each is drawn at build time as an SVG inside the page (it shows without JavaScript,
   in print and in the PDF). This small deferred script makes a chart interactive (tooltips, the
   "save as SVG / PNG" menu) the first time a reader points at it, touches it or tabs to it: only
   then does it load the vega runtime (_static/vega-bundle.js, once per page), so no page pays
   for it before a reader asks. A chart with sliders or menus comes alive as the reader scrolls it
   into view. It also opens collapsed tables for printing. */
(function () {
  "use strict";
  var OPTIONS = {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false }
  };
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var loading = null;

  function loadVega() {
    if (window.vegaEmbed) { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + "_static/vega-bundle.js";
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function () { loading = null; reject(new Error("vega-bundle.js did not load")); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function hydrate(el) {
    if (el.getAttribute("data-state")) { return Promise.resolve(); }
    el.setAttribute("data-state", "loading");
    // The live chart takes the size of the drawing shown (the phone drawing on a narrow screen).
    var still = [].filter.call(el.querySelectorAll(".vega-static"), function (s) {
      return s.offsetParent !== null;
    })[0] || el.querySelector(".vega-static");
    var variant = still && still.classList.contains("vega-narrow") ? "narrow" : "wide";
    var specNode = el.querySelector('script.vega-spec[data-variant="' + variant + '"]');
    if (!specNode) { el.setAttribute("data-state", "static"); return Promise.resolve(); }
    var spec = JSON.parse(specNode.textContent);
    return loadVega().then(function () {
      var live = document.createElement("div");
      live.className = "vega-live";
      el.insertBefore(live, still);
      var extra = el.getAttribute("data-embed");
      var options = Object.assign({}, OPTIONS, extra ? JSON.parse(extra) : {});
      return window.vegaEmbed(live, spec, options).then(function () {
        el.querySelectorAll(".vega-static").forEach(function (s) { s.remove(); });
        var summary = live.querySelector("summary");
        if (summary) { summary.setAttribute("aria-label", "Chart actions: save as SVG or PNG"); }
        el.setAttribute("data-state", "live");
      });
    }).catch(function (err) {
      // The drawn chart stays; only the interaction is missing.
      el.setAttribute("data-state", "static");
      var live = el.querySelector(".vega-live");
      if (live) { live.remove(); }
      console.warn("chart " + el.id + " stays static: " + err);
    });
  }

  function wake(event) { hydrate(event.currentTarget); }

  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { watcher.unobserve(entry.target); hydrate(entry.target); }
    });
  }, { rootMargin: "200px 0px" }) : null;

  var withControls = [];
  document.querySelectorAll(".vega-chart").forEach(function (el) {
    ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
      el.addEventListener(type, wake, { once: true, passive: true });
    });
    if (el.getAttribute("data-wake") === "visible") { withControls.push(el); }
  });
  // Charts with their own controls (sliders, menus) need the runtime to show them: they come
  // alive as they scroll into view, once the reader has started reading (wheel, tap, key): a
  // programmatic scroll or resize (a screenshot, a test harness) does not count.
  if (watcher && withControls.length) {
    var engaged = false;
    var engage = function () {
      if (engaged) { return; }
      engaged = true;
      withControls.forEach(function (el) { watcher.observe(el); });
    };
    ["wheel", "pointerdown", "keydown", "touchstart"].forEach(function (type) {
      window.addEventListener(type, engage, { once: true, passive: true });
    });
  }
  window.bookCharts = { hydrate: hydrate };

  // Collapsed long tables open for printing, and close again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.book-table-long:not([open])").forEach(function (d) {
      d.setAttribute("open", ""); opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.removeAttribute("open"); });
    opened = [];
  });
})();
