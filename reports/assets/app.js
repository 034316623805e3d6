// The page: reads the embedded run documents, renders the header, verdict counts (a
// row per run), results by group, the coverage heat map and the case table, and
// opens a case's detail from the URL hash.
const DATA = JSON.parse(document.getElementById("run-data").textContent);
const SPEC_INDEX = {};
const SECTION_TITLES = new Map();
for (const [version, rows] of Object.entries(DATA.spec || {})) {
  SPEC_INDEX[version] = new Map();
  for (const [id, section, title, text] of rows) {
    SPEC_INDEX[version].set(id, { id, section, title, text });
    if (!SECTION_TITLES.has(section)) SECTION_TITLES.set(section, title);
  }
}

// One row per case id (the id carries the version), a cell per run.
const ROWS = (() => {
  const by_key = new Map(), rows = [];
  DATA.runs.forEach((run, i) => {
    for (const c of run.cases) {
      let r = by_key.get(c.id);
      if (!r) {
        r = { key: c.id, id: c.id, title: c.title, protocol: c.protocol, group: group_of(c.id), tags: c.tags || [], spec: c.spec || [],
              sections: new Set((c.spec || []).map(section_of)), cells: DATA.runs.map(() => null), wall: 0, search: "" };
        by_key.set(c.id, r);
        rows.push(r);
      }
      r.cells[i] = c;
      r.wall = Math.max(r.wall, c.wall_ms || 0);
      r.search += " " + [c.id, c.title, c.file, ...(c.spec || []), ...(c.tags || []), c.reason,
                         ...(c.failures || []).map(f => f.message)].join(" ").toLowerCase();
    }
  });
  return rows;
})();

function render_header() {
  const top = document.getElementById("top");
  const sub = DATA.runs.length > 1 ? DATA.runs.length + " runs: " + DATA.runs.map(r => r.label).join(" · ")
                                   : DATA.runs[0].broker;
  top.replaceChildren(h("h1", {}, DATA.title), h("div", { class: "sub" }, sub, " — generated ", DATA.generated));
}

function run_meta(run) {
  const caps = Object.entries(run.capabilities || {});
  const field = (k, ...v) => h("div", {}, h("span", {}, k), ...v);
  return h("div", { class: "card meta", id: "run-meta" },
    field("broker", run.broker),
    field("profile", run.profile || "—"),
    field("protocol versions", (run.protocols || []).map(p => version_name(p)).join(", ") || "—"),
    field("link", run.link || "none"),
    field("seed", String(run.seed)),
    field("duration", fmt_s(run.wall_s) + (run.virtual_time ? " (virtual time)" : " (real time)")),
    field("started", run.started || "—"),
    (run.faults || []).length ? field("broker faults", ...run.faults.map(f => h("span", { class: "chip fault", title: "a rule the embedded broker breaks on purpose" }, f))) : null,
    h("div", { class: "wide" }, h("span", {}, "capabilities"),
      caps.length ? caps.map(([k, v]) => h("span", { class: "chip " + (v ? "yes" : "no"), title: v ? "present" : "absent: its cases are skipped" }, k))
                  : h("span", { class: "muted" }, "all assumed present (no profile)")),
    run.command ? h("div", { class: "wide" }, h("span", {}, "reproduce"), h("code", {}, run.command)) : null);
}

function counts_bar(counts, total) {
  return h("div", { class: "bar", title: VERDICTS.map(v => (counts[v] || 0) + " " + v).join(", ") },
    ...VERDICTS.filter(v => counts[v]).map(v => h("span", { class: "v-" + v, style: `width:${100 * counts[v] / total}%` })));
}

// A row of tiles per run: summed over brokers, counts would hide which one failed.
// A tile filters the table by that run's verdict (any run's, on a single-run page).
function render_tiles() {
  const box = document.getElementById("tiles");
  if (!box) return;
  const mx = DATA.runs.length > 1;
  box.replaceChildren(...DATA.runs.map((run, i) => {
    const counts = {}, known = {};
    for (const r of ROWS) {
      const c = r.cells[i];
      if (!c) continue;
      counts[c.verdict] = (counts[c.verdict] || 0) + 1;
      if (c.known) known[c.verdict] = (known[c.verdict] || 0) + 1;
    }
    const which = mx ? i : -1;
    const tiles = VERDICTS.map(v => h("div", {
        class: "tile v-" + v + (FILTER.verdicts.has(v) && FILTER.run === which ? " on" : "") + (counts[v] ? "" : " zero"),
        "data-verdict": v, "data-run": i, title: "show only " + v + (mx ? " in " + run.label : ""),
        onclick: () => toggle_verdict(v, which) }, h("b", {}, String(counts[v] || 0)), v,
        known[v] ? h("small", { title: "listed in the expectations file: they do not fail the run" }, " · " + known[v] + " known") : null));
    if (!mx) {
      document.getElementById("total-bar").replaceChildren(counts_bar(counts, run.cases.length || 1));
      return h("div", { class: "tiles", "data-run": i }, ...tiles);
    }
    return h("div", { class: "tiles per-run", "data-run": i }, h("div", { class: "tile-label", title: run.broker }, run.label), ...tiles);
  }));
}

function render_summary() {
  const root = document.getElementById("summary");
  root.replaceChildren();
  if (DATA.runs.length === 1) {
    root.append(h("h2", {}, "Run"), run_meta(DATA.runs[0]));
  } else {
    const t = h("table", { class: "runs card" }, h("tr", {}, ...["run", "broker", "profile", "seed", "link", "verdicts", ""].map(x => h("th", {}, x))));
    for (const r of DATA.runs) {
      const counts = {};
      for (const c of r.cases) counts[c.verdict] = (counts[c.verdict] || 0) + 1;
      t.append(h("tr", {}, h("td", {}, h("b", {}, r.label)), h("td", {}, r.broker), h("td", {}, r.profile || "—"), h("td", {}, String(r.seed)),
        h("td", {}, r.link || "none"), h("td", {}, counts_bar(counts, r.cases.length || 1)),
        h("td", { class: "muted" }, VERDICTS.filter(v => counts[v]).map(v => counts[v] + " " + v).join(" · "))));
    }
    root.append(h("h2", {}, "Runs"), t);
  }
  root.append(h("div", { id: "tiles" }), h("div", { id: "total-bar" }));
  render_tiles();
}

function open_detail(key, run_index) {
  const row = ROWS.find(r => r.key === key);
  if (!row) return;
  const i = run_index >= 0 ? run_index : 0;
  history.replaceState(null, "", location.pathname + location.search + "#case=" + encodeURIComponent(key) + "&run=" + i);
  render_detail(row, i);
}

function route() {
  const m = /^#case=([^&]*)(?:&run=(\d+))?/.exec(location.hash);
  if (m) open_detail(decodeURIComponent(m[1]), Number(m[2] || 0));
}

function main() {
  render_header();
  render_summary();
  render_groups();
  // A capture's connections cover no statements: they only break some.
  if (DATA.runs.some(r => r.link !== "captured"))
    render_heatmap(document.getElementById("coverage"), sec => { set_filter({ section: sec }); document.getElementById("cases").scrollIntoView(); });
  render_cases();
  // A matrix is read by its table first; the heat map follows it.
  if (DATA.runs.length > 1) document.querySelector("main").insertBefore(document.getElementById("cases"), document.getElementById("coverage"));
  document.getElementById("overlay").addEventListener("click", close_detail);
  document.addEventListener("keydown", e => { if (e.key === "Escape") close_detail(); });
  window.addEventListener("hashchange", route);
  route();
  if (/[?&]selftest=1/.test(location.search)) selftest();
}

main();
