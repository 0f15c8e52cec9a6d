/* Briefing timeline: draws the chronology's dated groups as bars on a time axis above the list.
   It reads the page it is on (headings with date anchors and their event lists, or, on the index of a long
   chronology, month headings with data-count and data-href); it fetches nothing. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000;

  function period(id) {
    var m;
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(id))) {
      var d = Date.UTC(+m[1], +m[2] - 1, +m[3]);
      return [d, d + DAY];
    }
    if ((m = /^(\d{4})-w(\d{2})$/.exec(id))) {
      var jan4 = Date.UTC(+m[1], 0, 4);
      var monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY + (+m[2] - 1) * 7 * DAY;
      return [monday, monday + 7 * DAY];
    }
    if ((m = /^(\d{4})-(\d{2})-[a-z]+$/.exec(id))) {
      return [Date.UTC(+m[1], +m[2] - 1, 1), Date.UTC(+m[1], +m[2], 1)];
    }
    if ((m = /^(\d{4})-[a-z]+$/.exec(id))) {
      return [Date.UTC(+m[1], 0, 1), Date.UTC(+m[1] + 1, 0, 1)];
    }
    return null;
  }

  function groups(article) {
    var found = [];
    article.querySelectorAll("h3[id]").forEach(function (heading) {
      var span = period(heading.id);
      var list = heading.nextElementSibling;
      var count = heading.dataset.count ? +heading.dataset.count : (list && list.tagName === "UL" ? list.children.length : 0);
      if (!span || !count) return;
      found.push({ id: heading.id, start: span[0], end: span[1], count: count, href: heading.dataset.href,
                   label: heading.textContent.replace(/\u00b6$/, "").trim() });
    });
    return found;
  }

  function element(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function draw(container) {
    var items = groups(container.closest("article") || document);
    if (!items.length) return;
    var width = Math.max(container.clientWidth, 300), height = 110, axis = 20;
    var first = Math.min.apply(null, items.map(function (g) { return g.start; }));
    var last = Math.max.apply(null, items.map(function (g) { return g.end; }));
    var span = Math.max(last - first, DAY);
    var most = Math.max.apply(null, items.map(function (g) { return g.count; }));
    var x = function (t) { return 4 + (t - first) / span * (width - 8); };
    var svg = element("svg", { width: width, height: height, role: "img", "class": "briefing-timeline__chart" });
    var title = element("title", {});
    title.textContent = "Events from " + items[0].label + " to " + items[items.length - 1].label;
    svg.appendChild(title);
    svg.appendChild(element("line", { x1: 4, x2: width - 4, y1: height - axis, y2: height - axis, "class": "briefing-timeline__axis" }));
    var months = Math.max(1, Math.round(span / (30.44 * DAY)));
    var every = Math.max(1, Math.ceil(months * 64 / width));  /* a label needs about 64 px */
    var n = 0;
    for (var month = new Date(first); month.getTime() <= last; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
      var start = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
      if (start < first || n++ % every) continue;
      var tick = element("text", { x: x(start), y: height - 4, "class": "briefing-timeline__tick" });
      tick.textContent = month.toLocaleString("en", { month: "short", year: "numeric", timeZone: "UTC" });
      svg.appendChild(tick);
    }
    items.forEach(function (g) {
      var h = 8 + (height - axis - 14) * g.count / most;
      var bar = element("rect", {
        x: x(g.start), y: height - axis - h, width: Math.max(x(g.end) - x(g.start), 4), height: h,
        "class": "briefing-timeline__bar", "data-anchor": g.id, tabindex: 0
      });
      var tip = element("title", {});
      tip.textContent = g.label + ": " + g.count + (g.count === 1 ? " event" : " events");
      bar.appendChild(tip);
      var go = function () { if (g.href) location.href = g.href; else location.hash = g.id; };
      bar.addEventListener("click", go);
      bar.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
      svg.appendChild(bar);
    });
    container.replaceChildren(svg);
  }

  function start() {
    var container = document.getElementById("briefing-timeline");
    if (container) draw(container);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
