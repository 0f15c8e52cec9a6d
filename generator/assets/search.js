/* Briefing search: the header's search box, answered by the site's Pagefind index (pagefind/), which the
   browser fetches in small pieces as a query needs them. Actor pages whose name matches come first; a hit in
   an article opens the paragraph it is in. Opened from disk (file://), where browsers refuse to load the
   index, it searches a list of actor names and article titles (search-titles.js) instead.
   Result text is built as DOM text nodes and <mark> elements only: nothing from the index becomes markup. */
(function () {
  "use strict";
  var ACTORS_SHOWN = 3, PAGE = 5, DELAY = 120;
  var root, input, meta, list, toggle, pagefind = null, titles = null, timer = null, generation = 0;

  function base() {
    var config = document.getElementById("__config");
    var path = ".";
    try { path = JSON.parse(config.textContent).base || "."; } catch (e) { /* keep "." */ }
    return new URL(path.replace(/\/?$/, "/"), location.href);
  }

  function loadPagefind() {
    if (!pagefind) {
      var site = base();
      pagefind = import(new URL("pagefind/pagefind.js", site).href).then(function (module) {
        return module.options({ baseUrl: site.pathname, excerptLength: 24 }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function loadTitles() {
    if (!titles) {
      titles = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("search-titles.js", base()).href;
        script.onload = function () { resolve(window.briefingSearchTitles || []); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return titles;
  }

  /* Pagefind's excerpt, as text and <mark> only (parsed inertly, never inserted as HTML). */
  function excerptNodes(excerpt) {
    var parsed = new DOMParser().parseFromString("<p>" + (excerpt || "") + "</p>", "text/html");
    var out = [];
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.push(mark);
      } else {
        out.push(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  /* The paragraph a hit is in: the first matching word inside a paragraph anchor (p1, p2, …) picks it. */
  function anchorOf(data) {
    var paragraphs = (data.anchors || []).filter(function (a) { return /^p\d+$/.test(a.id); });
    var locations = data.locations || [];
    for (var i = 0; i < locations.length; i++) {
      var best = null;
      paragraphs.forEach(function (a) { if (a.location <= locations[i]) best = a; });
      if (best) return "#" + best.id;
    }
    return "";
  }

  function item(title, href, excerpt, kind) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = href;
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var heading = document.createElement("h1");
    heading.textContent = title;
    article.appendChild(heading);
    if (kind) {
      var label = document.createElement("p");
      label.className = "briefing-search__kind";
      label.textContent = kind;
      article.appendChild(label);
    }
    if (excerpt) {
      var p = document.createElement("p");
      excerptNodes(excerpt).forEach(function (node) { p.appendChild(node); });
      article.appendChild(p);
    }
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function show(text) { meta.textContent = text; }

  function searchIndex(query, mine) {
    return loadPagefind().then(function (pf) {
      return Promise.all([pf.search(query, { filters: { kind: "actor" } }), pf.search(query)]).then(function (found) {
        if (mine !== generation) return;
        var actors = found[0].results.slice(0, ACTORS_SHOWN);
        var actorIds = actors.map(function (r) { return r.id; });
        var rest = found[1].results.filter(function (r) { return actorIds.indexOf(r.id) < 0; });
        var total = actors.length + rest.length;
        var shown = 0;
        list.replaceChildren();
        show(total ? total + (total === 1 ? " matching page" : " matching pages") : "No matching pages");
        function more() {
          var batch = (shown === 0 ? actors.concat(rest.slice(0, PAGE)) : rest.slice(shown - actors.length, shown - actors.length + PAGE));
          shown += batch.length;
          return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
            if (mine !== generation) return;
            var old = list.querySelector(".briefing-search__more");
            if (old) old.remove();
            datas.forEach(function (data) {
              var kind = (data.filters && data.filters.kind && data.filters.kind[0]) || "";
              list.appendChild(item(data.meta.title || data.url, data.url + (kind === "article" ? anchorOf(data) : ""), data.excerpt, kind));
            });
            if (shown < total) {
              var li = document.createElement("li");
              li.className = "md-search-result__item briefing-search__more";
              var button = document.createElement("button");
              button.type = "button";
              button.className = "md-button";
              button.textContent = "More results";
              button.addEventListener("click", more);
              li.appendChild(button);
              list.appendChild(li);
            }
          });
        }
        return more();
      });
    });
  }

  function searchTitles(query, mine) {
    return loadTitles().then(function (entries) {
      if (mine !== generation) return;
      var words = query.toLowerCase().split(/\s+/).filter(Boolean);
      var hits = entries.filter(function (e) {
        var text = e[0].toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      hits.sort(function (a, b) { return (a[2] === "actor" ? 0 : 1) - (b[2] === "actor" ? 0 : 1); });
      list.replaceChildren();
      show((hits.length ? hits.length + " matching names and titles" : "No matching names or titles") +
           " (opened from disk: full-text search needs the site served over HTTP)");
      var site = base();
      hits.slice(0, 50).forEach(function (e) { list.appendChild(item(e[0], new URL(e[1], site).href, "", e[2])); });
    });
  }

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    if (!query) {
      list.replaceChildren();
      show("Type to start searching");
      return;
    }
    var search = location.protocol === "file:" ? searchTitles : searchIndex;
    search(query, mine).catch(function () {
      if (mine !== generation) return;
      if (search === searchIndex) searchTitles(query, mine).catch(function () { show("Search is not available"); });
      else show("Search is not available");
    });
  }

  function open() {
    toggle.checked = true;
    input.focus();
  }

  function start() {
    root = document.querySelector("[data-briefing-search]");
    toggle = document.getElementById("__search");
    if (!root || !toggle) return;
    input = root.querySelector("input");
    meta = root.querySelector(".md-search-result__meta");
    list = root.querySelector(".md-search-result__list");
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, DELAY); });
    input.addEventListener("focus", function () { toggle.checked = true; });
    root.querySelector("form").addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    root.querySelector("form").addEventListener("reset", function () { setTimeout(run, 0); input.focus(); });
    toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
    document.addEventListener("keydown", function (e) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "") || (e.target && e.target.isContentEditable);
      if (e.key === "Escape" && toggle.checked) { toggle.checked = false; input.blur(); return; }
      if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "/" || e.key === "s" || e.key === "f")) {
        e.preventDefault();
        open();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
