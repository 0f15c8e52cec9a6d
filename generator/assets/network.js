/* Briefing network: actors as nodes, sharing a paragraph as weighted edges, laid out by a small force
   simulation. Data comes from the page itself (a JSON block and the actor links); nothing is fetched. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function element(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function layout(nodes, edges, width, height) {
    var seed = 1;
    var random = function () { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    nodes.forEach(function (n) { n.x = width * random(); n.y = height * random(); });
    var k = Math.sqrt(width * height / Math.max(nodes.length, 1)) * 0.8;
    for (var step = 0, heat = width / 10; step < 300; step++, heat *= 0.985) {
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var push = k * k / d;
          a.dx += dx / d * push; a.dy += dy / d * push; b.dx -= dx / d * push; b.dy -= dy / d * push;
        }
      }
      edges.forEach(function (e) {
        var dx = e.a.x - e.b.x, dy = e.a.y - e.b.y, d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var pull = d * d / k * Math.min(1, 0.3 + e.weight / 10);
        e.a.dx -= dx / d * pull; e.a.dy -= dy / d * pull; e.b.dx += dx / d * pull; e.b.dy += dy / d * pull;
      });
      nodes.forEach(function (n) {
        var d = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 0.01, move = Math.min(d, heat);
        n.x = Math.min(width - 20, Math.max(20, n.x + n.dx / d * move));
        n.y = Math.min(height - 20, Math.max(20, n.y + n.dy / d * move));
      });
    }
  }

  function draw(root, data, links) {
    var width = Math.max(root.clientWidth, 320), height = 520;
    var shownKinds = {}, hideHubs = root.querySelector("input[name=hubs]").checked;
    root.querySelectorAll("input[name=kind]").forEach(function (box) { shownKinds[box.value] = box.checked; });
    var hubs = {};
    data.hubs.forEach(function (id) { hubs[id] = true; });
    var nodes = data.nodes.filter(function (n) { return shownKinds[n.kind] && !(hideHubs && hubs[n.id]); });
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = data.edges
      .filter(function (e) { return byId[e[0]] && byId[e[1]]; })
      .map(function (e) { return { a: byId[e[0]], b: byId[e[1]], weight: e[2] }; });
    layout(nodes, edges, width, height);
    var most = Math.max.apply(null, nodes.map(function (n) { return n.mentions; }).concat([1]));
    var svg = element("svg", { width: width, height: height, "class": "briefing-network__chart", role: "img" });
    edges.forEach(function (e) {
      svg.appendChild(element("line", { x1: e.a.x, y1: e.a.y, x2: e.b.x, y2: e.b.y, "stroke-width": Math.min(1 + e.weight, 8),
                                         "class": "briefing-network__edge" }));
    });
    nodes.forEach(function (n) {
      var group = element("g", { "class": "briefing-network__node briefing-kind-" + n.kind, "data-actor": n.id, tabindex: 0 });
      group.appendChild(element("circle", { cx: n.x, cy: n.y, r: 4 + 12 * Math.sqrt(n.mentions / most) }));
      var label = element("text", { x: n.x + 8, y: n.y - 8 });
      label.textContent = n.name;
      group.appendChild(label);
      var tip = element("title", {});
      tip.textContent = n.name + " (" + n.kind + ", " + n.mentions + " mentions)";
      group.appendChild(tip);
      var go = function () { if (links[n.id]) location.href = links[n.id]; };
      group.addEventListener("click", go);
      group.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
      svg.appendChild(group);
    });
    var holder = root.querySelector(".briefing-network__canvas");
    holder.replaceChildren(svg);
  }

  function start() {
    var root = document.getElementById("briefing-network");
    var source = document.getElementById("briefing-network-data");
    if (!root || !source) return;
    var data = JSON.parse(source.textContent);
    var links = {};
    document.querySelectorAll("a[data-actor]").forEach(function (a) { links[a.getAttribute("data-actor")] = a.href; });
    root.querySelectorAll("input").forEach(function (box) { box.addEventListener("change", function () { draw(root, data, links); }); });
    draw(root, data, links);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
