/* Briefing search: the header's search box, answered by the site's Pagefind index (pagefind/), which the
   browser fetches in small pieces as a query needs them. Actor pages whose name matches come first; a hit in
   an article opens the paragraph it is in. Opened from disk (file://), where browsers refuse to load the
   index, it searches a list of actor names and article titles (search-titles.js) instead.
   Result text is built as DOM text nodes and <mark> elements only: nothing from the index becomes markup. */
(function () {
  "use strict";
  var ACTORS_SHOWN = 3, PAGE = 5, DELAY = 120;
  var root, input, meta, list, toggle, pagefind = null, actorIndex = null, articleIndex = null, firstShard = null, titles = null, timer = null, generation = 0;

  function base() {
    var config = document.getElementById("__config");
    var path = ".";
    try { path = JSON.parse(config.textContent).base || "."; } catch (e) { /* keep "." */ }
    return new URL(path.replace(/\/?$/, "/"), location.href);
  }

  /* The site's indexes (search box's data-indexes): "actors", then shards of the article index. Each is a
     Pagefind instance made from the first index's loader; the article shards are merged into one. */
  function indexes() { return (root.getAttribute("data-indexes") || "").split(/\s+/).filter(Boolean); }

  function loadPagefind() {
    if (!pagefind) {
      var names = indexes();
      pagefind = names.length ? import(new URL("pagefind/" + names[0] + "/pagefind.js", base()).href)
                              : Promise.reject(new Error("no search index"));
    }
    return pagefind;
  }

  function instance(names) {
    return loadPagefind().then(function (module) {
      var site = base();
      var made = module.createInstance({ basePath: new URL("pagefind/" + names[0] + "/", site).href });
      return made.options({ baseUrl: site.pathname, excerptLength: 24 }).then(function () {
        return Promise.all(names.slice(1).map(function (name) {
          return made.mergeIndex(new URL("pagefind/" + name + "/", site).href);
        }));
      }).then(function () { return made; });
    });
  }

  function loadActors() {
    if (!actorIndex) {
      actorIndex = indexes().indexOf("actors") === 0 ? instance(["actors"]) : Promise.resolve(null);
    }
    return actorIndex;
  }

  /* The article shards merged into an instance whose first index is the actor index again: Pagefind loads its
     wasm from the first index's folder, so the browser has it already (a first index of article pages would
     fetch another copy); the actor hits it finds again are left out (`searchArticles`). */
  function loadArticles() {
    if (!articleIndex) {
      var names = indexes(), shards = names.filter(function (name) { return name !== "actors"; });
      articleIndex = shards.length ? instance(names) : Promise.resolve(null);
    }
    return articleIndex;
  }

  /* The first shard of the article index alone (merged under the actor index, as above), when there are
     several: its hits are shown while the others load, so that a word only articles answer costs one shard's
     pieces before the first results, not every shard's (each has its pages' metadata and an index chunk). */
  function loadFirstShard() {
    if (!firstShard) {
      var names = indexes(), shards = names.filter(function (name) { return name !== "actors"; });
      firstShard = shards.length > 1 ? instance(names[0] === "actors" ? ["actors", shards[0]] : [shards[0]]) : Promise.resolve(null);
    }
    return firstShard;
  }

  function searchArticles(load, query, actors) {
    var actorIds = actors.map(function (r) { return r.id; });
    return load().then(function (pf) { return pf ? found(pf, query) : null; }).then(function (results) {
      if (!results || indexes()[0] !== "actors") return results;
      return results.filter(function (r) { return actorIds.indexOf(r.id) < 0; });
    });
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

  function found(pf, query) {
    return pf ? pf.search(query).then(function (f) { return f.results; }) : Promise.resolve([]);
  }

  /* Actor pages first, shown as soon as the small actor index answers; then article pages: the first shard's
     best hits as soon as it answers, then the best of all shards not shown yet. "More results" goes on with the
     other actors, then the other articles (in the order of all shards' ranking). */
  function searchIndex(query, mine) {
    var queue = [], articlesDone = false, actorCount = 0, articleCount = 0;

    function counts() {
      var parts = [];
      if (actorCount) parts.push(actorCount + (actorCount === 1 ? " actor" : " actors"));
      if (articlesDone && articleCount) parts.push(articleCount + (articleCount === 1 ? " article" : " articles"));
      var text = parts.length ? parts.join(", ") : (articlesDone ? "No matching pages" : "");
      show(articlesDone ? text : (text ? text + "; searching articles…" : "Searching…"));
    }

    function append(batch) {
      return Promise.all(batch.map(function (hit) { return hit.result.data(); })).then(function (datas) {
        if (mine !== generation) return;
        var old = list.querySelector(".briefing-search__more");
        if (old) old.remove();
        datas.forEach(function (data, i) {
          var kind = batch[i].kind;
          list.appendChild(item(data.meta.title || data.url, data.url + (kind === "article" ? anchorOf(data) : ""), data.excerpt, kind));
        });
        if (articlesDone && queue.length) {
          var li = document.createElement("li");
          li.className = "md-search-result__item briefing-search__more";
          var button = document.createElement("button");
          button.type = "button";
          button.className = "md-button";
          button.textContent = "More results";
          button.addEventListener("click", function () { append(queue.splice(0, PAGE)); });
          li.appendChild(button);
          list.appendChild(li);
        }
      });
    }

    function tag(kind) { return function (result) { return { result: result, kind: kind }; }; }

    return loadActors().then(function (pf) { return found(pf, query); }).then(function (actors) {
      if (mine !== generation) return;
      actorCount = actors.length;
      var hits = actors.map(tag("actor"));
      list.replaceChildren();
      counts();
      queue = hits.slice(ACTORS_SHOWN);
      var shown = [];
      return append(hits.slice(0, ACTORS_SHOWN)).then(function () {
        return searchArticles(loadFirstShard, query, actors);
      }).then(function (first) {
        if (mine !== generation || !first) return;
        var batch = first.slice(0, PAGE);
        shown = batch.map(function (r) { return r.id; });
        return append(batch.map(tag("article")));
      }).then(function () {
        return searchArticles(loadArticles, query, actors);
      }).then(function (articles) {
        if (mine !== generation) return;
        articlesDone = true;
        articleCount = (articles || []).length;
        var hits = (articles || []).filter(function (r) { return shown.indexOf(r.id) < 0; }).map(tag("article"));
        var room = Math.max(0, PAGE - shown.length);
        queue = queue.concat(hits.slice(room));
        counts();
        return append(hits.slice(0, room));
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
      list.setAttribute("aria-busy", "false");
      show("Type to start searching");
      return;
    }
    var search = location.protocol === "file:" ? searchTitles : searchIndex;
    list.setAttribute("aria-busy", "true");  /* until every result of this query is in */
    search(query, mine).catch(function () {
      if (mine !== generation) return;
      if (search === searchIndex) return searchTitles(query, mine).catch(function () { show("Search is not available"); });
      show("Search is not available");
    }).then(function () {
      if (mine === generation) list.setAttribute("aria-busy", "false");
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
