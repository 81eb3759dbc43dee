// The capsule-audit HTML report. Reads the JSON index, filters and pages over it, and builds
// the elements of the page on screen only, parsing a data chunk when it shows one of its items.
// Capsule data is only ever set as textContent (never parsed as HTML), and invisible or bidi
// control characters in it are shown as visible, flagged marks instead of taking effect.
// State lives in the URL hash: #rule=..&severity=..&capsule=..&fp=2, or an anchor
// (#finding-…, #capsule-…, #cluster-…, #rule-…) that the page opens on load.
(function () {
  "use strict";
  var PAGE = { findings: 50, clusters: 20, capsules: 50 };
  var COLUMNS = 8;
  var CONTEXT = 160;
  var MARK_MAX = 400;
  var QUOTE_MAX = 240;
  var CONTROLS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
  var KEYS = ["rule", "severity", "capsule"];
  var PAGES = { findings: "fp", clusters: "cp", capsules: "kp" };
  var state = { rule: "", severity: "", capsule: "", fp: 1, cp: 1, kp: 1 };

  function block(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var data = block("index");
  var caps = data.capsules, found = data.findings, clus = data.clusters;
  var cache = new Map();

  function chunk(prefix, position) {
    var size = data.chunks[prefix], name = prefix + Math.floor(position / size);
    var items = cache.get(name);
    if (!items) {
      items = block(name) || [];
      cache.set(name, items);
      if (cache.size > 64) { cache.delete(cache.keys().next().value); }
    }
    return items[position % size];
  }

  function record(capsule) {  // [id, source, kind, text], or null when the text was not kept
    return typeof capsule === "number" && caps.t[capsule] >= 0 ? chunk("t", caps.t[capsule]) : null;
  }

  // ---- DOM, always through textContent ----
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { put(node, String(text)); }
    return node;
  }

  function put(node, text) {  // text with control characters made visible and inert
    var last = 0;
    text.replace(CONTROLS, function (ch, at) {
      if (at > last) { node.appendChild(document.createTextNode(text.slice(last, at))); }
      var code = "U+" + ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      var flag = el("span", "ctl");
      flag.textContent = "⟨" + code + "⟩";
      flag.title = "invisible or bidi control character " + code;
      node.appendChild(flag);
      last = at + ch.length;
      return ch;
    });
    if (last < text.length) { node.appendChild(document.createTextNode(text.slice(last))); }
    return node;
  }

  function hasControls(text) { CONTROLS.lastIndex = 0; return CONTROLS.test(text || ""); }

  function bdi(text, cls) { return el("bdi", cls, text); }

  function button(cls, text, onClick) {
    var node = el("button", cls, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function link(href, text, cls) {
    var node = el("a", cls, text);
    node.href = "#" + href;
    return node;
  }

  // ---- text: code points to UTF-16, sentences, word-boundary cuts ----
  function units(text, points) {
    if (!/[\uD800-\uDFFF]/.test(text)) { return Math.min(points, text.length); }
    var i = 0;
    for (var n = 0; n < points && i < text.length; n += 1) {
      var c = text.charCodeAt(i);
      i += c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length ? 2 : 1;
    }
    return i;
  }

  function sentenceStart(text, at) {
    var limit = Math.max(0, at - 3 * CONTEXT);
    for (var i = at; i > limit; i -= 1) {
      if (text[i - 1] === "\n" || (/\s/.test(text[i - 1]) && /[.!?]/.test(text[i - 2] || ""))) { return i; }
    }
    return limit;
  }

  function sentenceEnd(text, at) {
    var limit = Math.min(text.length, at + 3 * CONTEXT);
    for (var i = at; i < limit; i += 1) {
      if (text[i] === "\n") { return i; }
      if (/[.!?]/.test(text[i]) && (i + 1 >= text.length || /\s/.test(text[i + 1]))) { return i + 1; }
    }
    return limit;
  }

  function headOf(text, max) {  // at most max characters, cut after a word; [text, cut?]
    if (text.length <= max) { return [text, false]; }
    var at = text.lastIndexOf(" ", max);
    return [text.slice(0, at > max - 40 ? at : max).replace(/\s+$/, ""), true];
  }

  function tailOf(text, max) {
    if (text.length <= max) { return [text, false]; }
    var from = text.length - max, at = text.indexOf(" ", from);
    return [text.slice(at >= 0 && at < from + 40 ? at + 1 : from), true];
  }

  // A quote: the sentence around [start, end) with that span marked; cut on word boundaries.
  function quote(text, start, end) {
    var node = el("blockquote", "quote");
    node.dir = "auto";
    var from = sentenceStart(text, start), to = sentenceEnd(text, Math.max(end, start));
    var before = tailOf(text.slice(from, start), CONTEXT);
    var mark = headOf(text.slice(start, end), MARK_MAX);
    var after = headOf(text.slice(end, Math.max(end, to)), CONTEXT);
    // An ellipsis where the quote stops inside a sentence, never after a full stop or line end.
    if (before[1] || (from > 0 && !/[\n.!?]\s*$/.test(text.slice(Math.max(0, from - 3), from)))) { node.appendChild(el("span", "ellipsis", "…")); }
    node.appendChild(el("span", "before", before[0]));
    node.appendChild(el("mark", "hl", mark[0] + (mark[1] ? " …" : "")));
    node.appendChild(el("span", "after", after[0]));
    if (after[1] || (to < text.length && !/[\n.!?]/.test(text[to - 1] || ""))) { node.appendChild(el("span", "ellipsis", "…")); }
    return node;
  }

  function fullText(text, start, end) {
    var pre = el("pre", "fulltext");
    pre.dir = "auto";
    if (start === null) { put(pre, text); return pre; }
    put(pre, text.slice(0, start));
    var mark = el("mark", "hl", text.slice(start, end));
    pre.appendChild(mark);
    put(pre, text.slice(end));
    return pre;
  }

  function toggler(holder, label, build) {  // a button that shows or hides a lazily built element
    var shown = null;
    var btn = button("more", label, function () {
      if (shown) { shown.remove(); shown = null; btn.setAttribute("aria-expanded", "false"); return; }
      shown = build();
      holder.appendChild(shown);
      btn.setAttribute("aria-expanded", "true");
      var mark = shown.querySelector("mark");
      if (mark) { shown.scrollTop = Math.max(0, mark.offsetTop - shown.offsetTop - 40); }
    });
    btn.setAttribute("aria-expanded", "false");
    return btn;
  }

  // A quoted span of a capsule's text, or the evidence text itself when there is no span.
  function excerpt(capsule, start, end, fallback, field) {
    var holder = el("div", "excerpt");
    var rec = start !== null ? record(capsule) : null;
    var text = field === "name" && typeof capsule === "number" ? caps.name[capsule] : rec && rec[3];
    if (start !== null && text && end <= text.length) {
      var s = units(text, start), e = units(text, end);
      holder.appendChild(quote(text, s, e));
      holder.appendChild(toggler(holder, "full text", function () { return fullText(text, s, e); }));
      return holder;
    }
    if (fallback === null) { return null; }
    var body = fallback || "";
    var head = headOf(body, QUOTE_MAX);
    var bq = el("blockquote", "quote", head[0] + (head[1] ? " …" : ""));
    bq.dir = "auto";
    holder.appendChild(bq);
    if (head[1]) { holder.appendChild(toggler(holder, "full text", function () { return fullText(body, null, null); })); }
    return holder;
  }

  function capsuleChip(capsule) {
    if (typeof capsule !== "number") { return el("code", "capsule-id", capsule); }
    var wrap = el("span", "chipwrap");
    var chip = button("chip", null, function () { setFilter("capsule", caps.ref[capsule]); });
    chip.appendChild(bdi(caps.label[capsule]));
    chip.title = caps.name[capsule];
    if (hasControls(caps.name[capsule])) { chip.appendChild(el("span", "flag", " ⚠ hidden characters")); }
    wrap.appendChild(chip);
    wrap.appendChild(link(caps.ref[capsule], "¶", "permalink"));
    return wrap;
  }

  // A message with each capsule id it names shown as that capsule's label (the id on hover).
  function message(text, capsules) {
    var node = el("p", "message");
    node.dir = "auto";
    var ids = capsules.filter(function (c) { return typeof c === "number"; }).map(function (c) {
      var rec = record(c), id = rec ? rec[0] : "";
      return [c, id.slice(id.lastIndexOf("/") + 1)];
    }).filter(function (pair) { return pair[1].length >= 8; });
    var at = 0;
    while (at < text.length) {
      var next = -1, which = null;
      ids.forEach(function (pair) {
        var found = text.indexOf(pair[1], at);
        if (found >= 0 && (next < 0 || found < next)) { next = found; which = pair; }
      });
      if (next < 0) { break; }
      put(node, text.slice(at, next));
      var label = bdi(caps.label[which[0]], "named");
      label.title = which[1];
      node.appendChild(label);
      at = next + which[1].length;
    }
    put(node, text.slice(at));
    return node;
  }

  // ---- filters ----
  var clusterOf = new Map();  // Maps, not objects: data never names a property
  clus.key.forEach(function (key, k) { clusterOf.set(key, k); });
  var ruleIndex = new Map();
  data.rules.forEach(function (r, i) { ruleIndex.set(r[0], i); });

  function capsuleMask() {  // null: no capsule filter; else a Uint8Array over capsules
    var q = state.capsule.trim();
    if (!q) { return null; }
    var mask = new Uint8Array(caps.ref.length);
    var exact = caps.ref.indexOf(q);
    if (exact < 0 && q.indexOf("capsule-") !== 0) { exact = caps.ref.indexOf("capsule-" + q); }
    if (exact >= 0) { mask[exact] = 1; return mask; }
    var needle = q.toLowerCase();
    for (var i = 0; i < mask.length; i += 1) {
      if ((caps.label[i] + " " + caps.name[i] + " " + caps.ref[i]).toLowerCase().indexOf(needle) >= 0) { mask[i] = 1; }
    }
    return mask;
  }

  function anyIn(list, mask) {
    for (var i = 0; i < list.length; i += 1) {
      if (typeof list[i] === "number" && mask[list[i]]) { return true; }
    }
    return false;
  }

  function selected(mask) {
    var rule = state.rule ? ruleIndex.get(state.rule) : -1, sev = data.severities.indexOf(state.severity);
    if (rule === undefined) { rule = -2; }
    var rejected = state.capsule.trim() === "none";
    var findings = found.order.filter(function (i) {
      if (rule !== -1 && found.rule[i] !== rule) { return false; }
      if (sev >= 0 && found.sev[i] !== sev) { return false; }
      if (rejected) { return found.caps[i].length === 0; }
      return !mask || anyIn(found.caps[i], mask);
    });
    var clusters = [];
    for (var k = 0; k < clus.key.length; k += 1) {
      if (rule !== -1 && clus.rules[k].indexOf(rule) < 0) { continue; }
      if (sev >= 0 && clus.sevs[k].indexOf(sev) < 0) { continue; }
      if (rejected || (mask && !anyIn(clus.caps[k], mask))) { continue; }
      clusters.push(k);
    }
    var capsules = [];
    for (var c = 0; c < caps.ref.length; c += 1) {
      if (!rejected && (!mask || mask[c])) { capsules.push(c); }
    }
    return { findings: findings, clusters: clusters, capsules: capsules };
  }

  // ---- cards ----
  function detail(i) {  // see html_data.PageData._detail
    var a = chunk("f", i), loc = a[2] >= 0 ? data.files[a[2]] : "";
    if (loc && a[3] !== null) { loc += ":" + a[3]; }
    if (a[4]) { loc += "#" + a[4]; }
    return { m: a[0], fp: a[1], loc: loc, fld: a[5], b: a[6], sp: a[7], ev: a[8] };
  }

  function findingCard(i) {
    var d = detail(i), rule = data.rules[found.rule[i]], sev = data.severities[found.sev[i]];
    var card = el("article", "finding sev-" + sev);
    card.id = found.anchor[i];
    card.dataset.rule = rule[0];
    card.dataset.severity = sev;
    card.dataset.capsules = found.caps[i].map(function (c) { return typeof c === "number" ? caps.ref[c] : "none"; }).join(" ") || "none";
    var h = el("h3");
    h.appendChild(button("chip sev-chip", sev, function () { setFilter("severity", sev); })).dataset.setFilter = "severity";
    h.lastChild.dataset.value = sev;
    h.appendChild(button("chip", rule[0] + " " + rule[1], function () { setFilter("rule", rule[0]); }));
    h.lastChild.dataset.setFilter = "rule";
    h.lastChild.dataset.value = rule[0];
    if (d.b) { h.appendChild(el("span", "state state-" + d.b, d.b)); }
    h.appendChild(link("rule-" + rule[0], "why?", "why"));
    h.appendChild(link(found.anchor[i], "link", "permalink"));
    card.appendChild(h);
    var msg = message(d.m, found.caps[i]);
    card.appendChild(msg);
    var shownSpan = null;
    var offending = d.sp ? excerpt(d.sp[0], d.sp[1], d.sp[2], null, d.sp[3]) : null;
    if (offending) {
      var fig = el("figure", "offending");
      fig.appendChild(el("figcaption", null, d.sp[3] === "name" ? "Offending text, in the title" : "Offending text"));
      fig.appendChild(offending);
      card.appendChild(fig);
      shownSpan = d.sp.slice(0, 3).join(":");
    }
    d.ev.forEach(function (ev) {
      if (ev[1] !== null && [ev[0], ev[1], ev[2]].join(":") === shownSpan) { return; }
      var fig = el("figure", "evidence");
      var quoted = excerpt(ev[0], ev[1], ev[2], ev[3]);
      if (quoted) { fig.appendChild(quoted); }
      var cap = el("figcaption");
      cap.appendChild(capsuleChip(ev[0]));
      if (ev[1] !== null) { cap.appendChild(document.createTextNode(" characters " + ev[1] + "–" + ev[2])); }
      if (ev[4]) { cap.appendChild(document.createTextNode(", " + ev[4] + " binding")); }
      fig.appendChild(cap);
      card.appendChild(fig);
    });
    var dl = el("dl");
    function row(term, value) { dl.appendChild(el("dt", null, term)); var dd = el("dd"); dd.appendChild(value); dl.appendChild(dd); }
    if (found.key[i] >= 0) {
      var keyText = data.keys[found.key[i]], keyNode = el("span");
      keyNode.appendChild(el("code", null, keyText)).dir = "auto";
      var cluster = clusterOf.get(keyText);
      if (cluster !== undefined) { keyNode.appendChild(document.createTextNode(" ")); keyNode.appendChild(link(clus.anchor[cluster], "side by side", "why")); }
      row("Key", keyNode);
    }
    if (found.caps[i].length) {
      var list = el("span");
      found.caps[i].forEach(function (c) { list.appendChild(capsuleChip(c)); list.appendChild(document.createTextNode(" ")); });
      row("Capsules", list);
    }
    if (d.loc) { var loc = el("code", null, d.loc + (d.fld ? " field " + d.fld : "")); loc.dir = "auto"; row("Location", loc); }
    row("Fingerprint", el("code", null, d.fp));
    card.appendChild(dl);
    return card;
  }

  function clusterCard(k, mask) {
    var d = chunk("k", k), card = el("article", "cluster");
    card.id = clus.anchor[k];
    var h = el("h3");
    var key = el("code", "key", clus.key[k]);
    key.dir = "auto";
    h.appendChild(key);
    if (d.conflicting) { h.appendChild(el("span", "state state-new", "conflict")); }
    var fields = clus.fields[k];
    Object.keys(fields).forEach(function (f) { h.appendChild(el("span", "mark-" + fields[f], f + ": " + fields[f])); });
    h.appendChild(link(clus.anchor[k], "link", "permalink"));
    card.appendChild(h);
    var members = d.members.slice();
    if (mask) {  // the filtered capsules first
      members.sort(function (a, b) { return (mask[b[0]] || 0) - (mask[a[0]] || 0); });
    }
    var wrap = el("div", "scroll");
    var table = el("table", "side");
    wrap.appendChild(table);
    card.appendChild(wrap);
    var shown = 0;
    var rows = [["Capsule"], ["Method", "method"], ["Institutions", "institutions"], ["Figures", "figures"], ["Binding"]];
    var trs = rows.map(function (r) {
      var tr = el("tr"), th = el("th", r[1] && fields[r[1]] ? "mark-" + fields[r[1]] : null, r[0]);
      th.scope = "row";
      tr.appendChild(th);
      table.appendChild(tr);
      return tr;
    });
    function more() {
      members.slice(shown, shown + COLUMNS).forEach(function (m) {
        var td = el("td");
        td.appendChild(capsuleChip(m[0]));
        trs[0].appendChild(td);
        var method = (m[1] || "") + (m[2] && m[2] !== m[1] ? " (" + m[2] + ")" : "");
        [[method, "method"], [m[3].join(", "), "institutions"], [m[4].join("; "), "figures"], [m[5], null]].forEach(function (v, n) {
          var cell = el("td", v[1] && m[6].indexOf(v[1]) >= 0 ? "odd" : null, v[0]);
          cell.dir = "auto";
          trs[n + 1].appendChild(cell);
        });
      });
      shown = Math.min(members.length, shown + COLUMNS);
      moreBtn.hidden = shown >= members.length;
      moreBtn.textContent = "show " + Math.min(COLUMNS, members.length - shown) + " more capsules (" + (members.length - shown) + " not shown)";
    }
    var moreBtn = button("more", "", more);
    card.appendChild(moreBtn);
    more();
    return card;
  }

  function capsuleCard(c) {
    var card = el("article", "capsule status-" + caps.status[c]);
    card.id = caps.ref[c];
    var h = el("h3");
    h.appendChild(bdi(caps.label[c]));
    h.appendChild(el("span", "sev sev-" + caps.status[c], caps.status[c]));
    h.appendChild(link(caps.ref[c], "link", "permalink"));
    card.appendChild(h);
    var name = el("p", "name", caps.name[c]);
    name.dir = "auto";
    card.appendChild(name);
    if (hasControls(caps.name[c])) { card.appendChild(el("p", "flag", "⚠ The title holds invisible or bidi control characters (shown as ⟨U+…⟩).")); }
    var rec = record(c), dl = el("dl");
    function row(term, text) { dl.appendChild(el("dt", null, term)); var dd = el("dd", null, text); dd.dir = "auto"; dl.appendChild(dd); }
    if (rec) { row("Id", rec[0]); row("Source", rec[1]); row("Kind", rec[2]); }
    row("Date", caps.date[c] || "undated");
    var dt = el("dt", null, "Findings"), dd = el("dd", null, String(caps.n[c]) + " ");
    if (caps.n[c]) { dd.appendChild(button("chip", "show its findings", function () { setFilter("capsule", caps.ref[c]); goSection("findings"); })); }
    dl.appendChild(dt);
    dl.appendChild(dd);
    card.appendChild(dl);
    if (rec && rec[3]) {
      if (hasControls(rec[3])) { card.appendChild(el("p", "flag", "⚠ The text holds invisible or bidi control characters.")); }
      var holder = el("div");
      holder.appendChild(toggler(holder, "text", function () { return fullText(rec[3], null, null); }));
      card.appendChild(holder);
    }
    return card;
  }

  // ---- pages ----
  function pager(section, total) {
    var size = PAGE[section], pages = Math.max(1, Math.ceil(total / size)), key = PAGES[section];
    state[key] = Math.min(Math.max(1, state[key]), pages);
    document.querySelectorAll('[data-pager="' + section + '"]').forEach(function (node) {
      node.textContent = "";
      if (total <= size) { return; }
      var prev = button("page-prev", "‹ previous", function () { state[key] -= 1; render(); writeHash(); goSection(section); });
      prev.disabled = state[key] <= 1;
      var next = button("page-next", "next ›", function () { state[key] += 1; render(); writeHash(); goSection(section); });
      next.disabled = state[key] >= pages;
      var first = (state[key] - 1) * size;
      node.appendChild(prev);
      node.appendChild(el("span", "meta", " page " + state[key] + " of " + pages + " (" + (first + 1) + "–" + Math.min(total, first + size) + " of " + total + ") "));
      node.appendChild(next);
    });
    return (state[key] - 1) * size;
  }

  function fill(section, items, make) {
    var list = document.getElementById(section + "-list");
    var first = pager(section, items.length);
    var frag = document.createDocumentFragment();
    items.slice(first, first + PAGE[section]).forEach(function (item) { frag.appendChild(make(item)); });
    list.textContent = "";
    list.appendChild(frag);
    document.getElementById(section + "-empty").hidden = items.length > 0;
  }

  var current = null;
  function render() {
    var mask = state.capsule.trim() === "none" ? null : capsuleMask();
    current = selected(mask);
    fill("findings", current.findings, findingCard);
    fill("clusters", current.clusters, function (k) { return clusterCard(k, mask); });
    fill("capsules", current.capsules, capsuleCard);
    KEYS.forEach(function (key) {
      var input = document.getElementById("filter-" + key);
      if (input && input.value !== state[key]) { input.value = state[key]; }
    });
    document.getElementById("shown-count").textContent = String(current.findings.length);
    document.body.dataset.filtered = KEYS.map(function (k) { return state[k]; }).join("|");
  }

  function writeHash() {
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    ["fp", "cp", "kp"].forEach(function (key) { if (state[key] > 1) { params.set(key, String(state[key])); } });
    var hash = params.toString();
    if (location.hash.replace(/^#/, "") !== hash) {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }

  function goSection(section) { document.getElementById(section).scrollIntoView(); }

  function setFilter(key, value) {
    state[key] = value;
    state.fp = state.cp = state.kp = 1;
    render();
    writeHash();
  }

  function clearFilters() {
    KEYS.forEach(function (key) { state[key] = ""; });
    state.fp = state.cp = state.kp = 1;
  }

  // Open an anchor: the page (of unfiltered lists) that holds the item, then scroll to it.
  function open(anchor) {
    var kinds = [["finding-", found.anchor, "findings", found.order], ["cluster-", clus.anchor, "clusters", null], ["capsule-", caps.ref, "capsules", null]];
    for (var n = 0; n < kinds.length; n += 1) {
      var kind = kinds[n];
      if (anchor.indexOf(kind[0]) !== 0) { continue; }
      var at = kind[1].indexOf(anchor);
      if (at < 0) { return false; }
      var position = kind[3] ? kind[3].indexOf(at) : at;
      clearFilters();
      state[PAGES[kind[2]]] = Math.floor(position / PAGE[kind[2]]) + 1;
      render();
      var target = document.getElementById(anchor);
      document.querySelectorAll(".targeted").forEach(function (t) { t.classList.remove("targeted"); });
      target.classList.add("targeted");
      target.scrollIntoView();
      return true;
    }
    if (anchor.indexOf("rule-") === 0 && document.getElementById(anchor)) {
      document.getElementById(anchor).open = true;
      document.getElementById(anchor).scrollIntoView();
      return true;
    }
    return false;
  }

  function readHash() {
    var hash = location.hash.replace(/^#/, "");
    if (hash && hash.indexOf("=") < 0) {  // an anchor (ours hold no character that needs escaping)
      if (!open(hash)) { render(); }
      return;
    }
    var params = new URLSearchParams(hash);
    KEYS.forEach(function (key) { state[key] = params.get(key) || ""; });
    ["fp", "cp", "kp"].forEach(function (key) { state[key] = parseInt(params.get(key) || "1", 10) || 1; });
    render();
  }

  // ---- wiring ----
  var ruleSelect = document.getElementById("filter-rule");
  var counts = data.rules.map(function () { return 0; });
  found.rule.forEach(function (r) { counts[r] += 1; });
  data.rules.map(function (r, i) { return [r[0], r[1], counts[i]]; }).sort(function (a, b) { return a[0] < b[0] ? -1 : 1; }).forEach(function (r) {
    var option = el("option", null, r[0] + " " + r[1] + " (" + r[2] + ")");
    option.value = r[0];
    ruleSelect.appendChild(option);
  });
  if (found.caps.some(function (c) { return c.length === 0; })) {
    document.getElementById("filter-capsule").title = "type 'none' for findings about rejected documents";
  }
  document.getElementById("total-count").textContent = String(found.order.length);
  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    select.addEventListener("change", function () { setFilter(select.dataset.filter, select.value); });
  });
  var typing = null, capsuleInput = document.getElementById("filter-capsule");
  capsuleInput.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { setFilter("capsule", capsuleInput.value); }, 250);
  });
  capsuleInput.addEventListener("change", function () { clearTimeout(typing); if (capsuleInput.value !== state.capsule) { setFilter("capsule", capsuleInput.value); } });
  function resetAll() { clearFilters(); render(); writeHash(); }
  document.getElementById("filter-reset").addEventListener("click", resetAll);
  document.querySelectorAll("[data-reset]").forEach(function (b) { b.addEventListener("click", resetAll); });
  window.addEventListener("hashchange", readHash);
  document.getElementById("loading").hidden = true;
  readHash();
}());
