// The detail of one case in one run: failures (expected vs actual, hex), the spec
// statements with their text, the sequence diagram, steps, link events, packets.
function spec_text(version, id) {
  return SPEC_INDEX[version] && SPEC_INDEX[version].get(id);
}

function detail_section(title, ...content) {
  return h("div", { class: "dsec" }, h("h3", {}, title), ...content);
}

function render_failure(f, version) {
  const ea = h("div", { class: "ea" });
  if (f.expected) ea.append(h("div", {}, h("span", {}, "expected"), h("pre", { class: "expected" }, f.expected)));
  if (f.actual) ea.append(h("div", {}, h("span", {}, "actual"), h("pre", { class: "actual" }, f.actual)));
  return h("div", { class: "failure" + (f.non_strict ? " soft" : "") },
    h("div", { class: "where" }, f.where || ""),
    h("div", { class: "msg" }, f.message || "", f.non_strict ? " (non-strict: a SHOULD, or an allowed but not preferred outcome)" : ""),
    ea.childNodes.length ? ea : null,
    f.actual_hex ? h("div", {}, h("span", { class: "lbl" }, "actual bytes"), h("pre", {}, hex_lines(f.actual_hex))) : null,
    (f.spec || []).length ? h("div", {}, ...(f.spec || []).map(id => h("span", { class: "chip", title: (spec_text(version, id) || {}).text || "" }, id))) : null);
}

// Case ids become file names with [, =, ? or #: escape each path segment. The href is
// relative to the report's folder, so the link survives the folder being moved.
function pcap_url(href) {
  return href.split("/").map(encodeURIComponent).join("/");
}

function render_detail(row, run_index) {
  const aside = document.getElementById("detail");
  const run = DATA.runs[run_index], c = row.cells[run_index];
  aside.replaceChildren();
  const close = h("button", { class: "close", title: "close (Esc)", onclick: close_detail }, "×");
  const head = h("div", { class: "dhead" }, close,
    h("div", {}, c ? badge(c.verdict) : badge("none"), " ", h("span", { class: "muted" }, version_name(row.protocol))),
    h("h2", { id: "detail-id" }, row.id), h("div", {}, row.title));
  if (DATA.runs.length > 1) {
    const tabs = h("div", { class: "tabs" });
    DATA.runs.forEach((r, i) => {
      const v = row.cells[i] ? row.cells[i].verdict : "none";
      tabs.append(h("button", { class: i === run_index ? "on" : "", onclick: () => open_detail(row.key, i) },
                    h("span", { class: "cell v-" + v, style: "display:inline-block;margin-right:5px;vertical-align:-1px" }), r.label));
    });
    head.append(tabs);
  }
  aside.append(head);
  if (!c) {
    aside.append(h("p", { class: "muted" }, "This case did not run against " + run.label + "."));
    return show_detail();
  }
  aside.append(h("div", { class: "dsec meta" },
    h("div", {}, h("span", {}, "broker"), run.broker),
    h("div", {}, h("span", {}, "file"), h("span", { title: c.file, style: "word-break:break-all" }, c.file.replace(/^.*\/scenarios\//, "scenarios/"))),
    h("div", {}, h("span", {}, "seed"), String(c.seed)),
    h("div", {}, h("span", {}, "duration"), fmt_s(c.duration_s) + (run.virtual_time ? " virtual" : "") + ", " + c.wall_ms.toFixed(1) + " ms wall"),
    (c.tags || []).length ? h("div", {}, h("span", {}, "tags"), ...c.tags.map(t => h("span", { class: "chip" }, t))) : null));
  const links = h("div", { class: "links dsec" });
  if (c.pcap_href) links.append(h("a", { href: pcap_url(c.pcap_href), download: "" }, "⬇ pcap of this case"));
  // A run read from a capture (mqttspec analyze) has connections, not cases to filter.
  if (run.command) links.append(h("code", {}, run.link === "captured" ? run.command : run.command + " --filter '" + c.id + "'"));
  aside.append(links);
  if (c.reason) aside.append(detail_section("Reason", h("p", {}, c.reason)));
  if (c.known) aside.append(detail_section("Known result", h("p", {}, "The expectations file lists this " + c.verdict + ": " + c.known)));
  if ((c.failures || []).length)
    aside.append(detail_section("Expected vs actual", ...c.failures.map(f => render_failure(f, c.protocol))));

  const ids = [...new Set([...(c.spec || []), ...(c.failures || []).flatMap(f => f.spec || [])])];
  if (ids.length)
    aside.append(detail_section("Spec statements", ...ids.map(id => {
      const st = spec_text(c.protocol, id);
      return h("div", { class: "spec-item" }, h("b", {}, id),
        h("span", { class: "sect" }, st ? st.section + " " + st.title : "not in " + version_name(c.protocol)),
        h("div", {}, st ? st.text : ""));
    })));
  aside.append(detail_section("Message sequence", sequence_svg(c)));
  // run --traces, replay: how the exchange differs from the recorded one (a golden trace, a capture).
  if (c.trace === "same")
    aside.append(detail_section("Recorded trace", h("p", { class: "muted" }, "The exchange is the same as the recorded one.")));
  else if (c.trace)
    aside.append(detail_section("Recorded trace: " + c.trace, h("ul", { class: "small trace-diff" },
      ...(c.trace_differences || []).slice(0, 200).map(d => h("li", {}, d)))));
  if ((c.steps || []).length) {
    const t = h("table", { class: "small" }, h("tr", {}, h("th", {}, "#"), h("th", {}, "from"), h("th", {}, "to"), h("th", {}, ""), h("th", {}, "step")));
    c.steps.forEach((st, i) => t.append(h("tr", {}, h("td", { class: "t" }, String(i + 1)), h("td", { class: "t" }, fmt_s(st.start_s)),
      h("td", { class: "t" }, fmt_s(st.end_s)), h("td", { class: st.ok ? "ok" : "ko" }, st.ok ? "✓" : "✗"), h("td", {}, st.text))));
    aside.append(detail_section("Steps", t));
  }
  if ((c.link_events || []).length) {
    const t = h("table", { class: "small" }, h("tr", {}, h("th", {}, "time"), h("th", {}, "connection"), h("th", {}, "link")));
    const names = connection_map(c).client_of;
    c.link_events.slice(0, 400).forEach(e => t.append(h("tr", {}, h("td", { class: "t" }, fmt_s(e.t_s)),
      h("td", { class: "t" }, (names.get(e.connection) || "") + " (link " + e.connection + ")"), h("td", {}, e.what))));
    aside.append(detail_section("Link events" + (c.link_events.length > 400 ? " (first 400 of " + c.link_events.length + ")" : ""), t));
  }
  if ((c.packets || []).length) {
    const t = h("table", { class: "small" }, h("tr", {}, h("th", {}, "time"), h("th", {}, "client"), h("th", {}, ""), h("th", {}, "packet")));
    c.packets.slice(0, 600).forEach(p => t.append(h("tr", {}, h("td", { class: "t" }, fmt_s(p.t_s)), h("td", { class: "t" }, p.client + "#" + p.connection),
      h("td", {}, p.from === "client" ? "→ broker" : "← broker"),
      h("td", {}, p.hex ? h("details", {}, h("summary", {}, p.text), h("pre", {}, hex_lines(p.hex))) : p.text))));
    aside.append(detail_section("Packets", t));
  }
  show_detail();
}

function show_detail() {
  document.getElementById("detail").hidden = false;
  document.getElementById("overlay").hidden = false;
  document.getElementById("detail").scrollTop = 0;
}

function close_detail() {
  document.getElementById("detail").hidden = true;
  document.getElementById("overlay").hidden = true;
  if (location.hash.startsWith("#case=")) history.replaceState(null, "", location.pathname + location.search);
}
