// The case table and its filters: verdict (in any run, or in one: FILTER.run), group,
// tag, spec section and free text.
const NO_FILTER = { verdicts: new Set(), run: -1, group: "", tag: "", section: "", q: "", differ: false };
const FILTER = { ...NO_FILTER, verdicts: new Set(), order: "file" };

function row_matches(r) {
  const cells = FILTER.run >= 0 ? [r.cells[FILTER.run]] : r.cells;
  if (FILTER.verdicts.size && !cells.some(c => c && FILTER.verdicts.has(c.verdict))) return false;
  if (FILTER.group && r.group !== FILTER.group) return false;
  if (FILTER.differ && new Set(r.cells.map(c => c ? c.verdict : "absent")).size < 2) return false;
  if (FILTER.tag && !r.tags.includes(FILTER.tag)) return false;
  if (FILTER.section && !r.sections.has(FILTER.section)) return false;
  if (FILTER.q) {
    for (const word of FILTER.q.toLowerCase().split(/\s+/).filter(Boolean))
      if (!r.search.includes(word)) return false;
  }
  return true;
}

// A result the expectations file lists: it does not fail the run.
function known_chip(c) { return h("div", { class: "known", title: c.known }, "known"); }

function row_worst(r) { return worst(r.cells.filter(Boolean).map(c => c.verdict)) || "skipped"; }

function render_filters(root) {
  const bar = h("div", { class: "filters", id: "filters" });
  for (const v of VERDICTS) {
    const n = ROWS.filter(r => r.cells.some(c => c && c.verdict === v)).length;
    bar.append(h("span", { class: "vchip" + (FILTER.verdicts.has(v) && FILTER.run < 0 ? " on v-" + v : ""), "data-verdict": v,
                           onclick: () => toggle_verdict(v) }, v + " " + n));
  }
  if (DATA.runs.length > 1) {
    const n = ROWS.filter(r => new Set(r.cells.map(c => c ? c.verdict : "absent")).size > 1).length;
    bar.append(h("span", { class: "vchip" + (FILTER.differ ? " on v-error" : ""), id: "f-differ", title: "cases whose verdicts differ between runs",
                           onclick: () => { FILTER.differ = !FILTER.differ; render_cases(); } }, "runs differ " + n));
  }
  const groups = [...new Set(ROWS.map(r => r.group))].sort();
  const group = h("select", { id: "f-group", onchange: e => { FILTER.group = e.target.value; update_table(); } },
    h("option", { value: "" }, "any group"), ...groups.map(g => h("option", { value: g }, g)));
  group.value = FILTER.group;
  const tags = [...new Set(ROWS.flatMap(r => r.tags))].sort();
  const tag = h("select", { id: "f-tag", onchange: e => { FILTER.tag = e.target.value; update_table(); } },
    h("option", { value: "" }, "any tag"), ...tags.map(t => h("option", { value: t }, t)));
  tag.value = FILTER.tag;
  const secs = [...new Set(ROWS.flatMap(r => [...r.sections]))].sort(section_cmp);
  const sec = h("select", { id: "f-section", onchange: e => { FILTER.section = e.target.value; update_table(); } },
    h("option", { value: "" }, "any section"), ...secs.map(x => h("option", { value: x }, "§ " + x + " " + (SECTION_TITLES.get(x) || ""))));
  sec.value = FILTER.section;
  const q = h("input", { type: "search", id: "f-text", placeholder: "search id, title, spec id, failure…", value: FILTER.q,
                         oninput: e => { FILTER.q = e.target.value; update_table(); } });
  const order = h("select", { id: "f-order", onchange: e => { FILTER.order = e.target.value; update_table(); } },
    h("option", { value: "file" }, "scenario order"), h("option", { value: "worst" }, "worst first"), h("option", { value: "slow" }, "slowest first"));
  order.value = FILTER.order;
  bar.append(group, tag, sec, q, order, h("span", { class: "count", id: "f-count" }));
  root.append(bar);
}

// run: the index of the run whose verdicts filter, -1 for any run.
function toggle_verdict(v, run = -1) {
  if (FILTER.run !== run) Object.assign(FILTER, { verdicts: new Set(), run });
  FILTER.verdicts.has(v) ? FILTER.verdicts.delete(v) : FILTER.verdicts.add(v);
  if (!FILTER.verdicts.size) FILTER.run = -1;
  render_cases();
  render_tiles();
}

function set_filter(f) {
  Object.assign(FILTER, NO_FILTER, { verdicts: new Set() }, f);
  render_cases();
  render_tiles();
}

function render_cases() {
  const root = document.getElementById("cases");
  root.replaceChildren(h("h2", {}, "Cases"));
  render_filters(root);
  const head = h("tr", {}, h("th", {}, DATA.runs.length > 1 ? "" : "verdict"), h("th", {}, "case"));
  if (DATA.runs.length > 1) DATA.runs.forEach(r => head.append(h("th", { title: r.broker, style: "text-align:center" }, r.label)));
  head.append(h("th", {}, "version"), h("th", {}, "spec"), h("th", { style: "text-align:right" }, "time"));
  root.append(h("table", { class: "cases", id: "case-table" }, h("thead", {}, head), h("tbody", { id: "case-body" })));
  update_table();
}

function update_table() {
  const body = document.getElementById("case-body");
  let rows = ROWS.filter(row_matches);
  if (FILTER.order === "worst") rows = [...rows].sort((a, b) => SEVERITY[row_worst(b)] - SEVERITY[row_worst(a)]);
  if (FILTER.order === "slow") rows = [...rows].sort((a, b) => b.wall - a.wall);
  const shown = rows.slice(0, 1500);
  body.replaceChildren(...shown.map(r => {
    const first = r.cells.find(c => c && c.verdict !== "pass" && c.failures && c.failures.length) || r.cells.find(Boolean);
    const why = first && first.verdict !== "pass" ? (first.failures[0] ? first.failures[0].message : first.reason) : "";
    const tr = h("tr", { class: "row", "data-key": r.key, onclick: () => open_detail(r.key, DATA.runs.length > 1 ? r.cells.indexOf(first) : 0) });
    const mx = DATA.runs.length > 1;
    tr.append(h("td", {}, mx ? h("span", { class: "cell v-" + row_worst(r), style: "display:inline-block" }) : badge(r.cells[0].verdict), !mx && r.cells[0].known ? known_chip(r.cells[0]) : null));
    tr.append(h("td", {}, h("div", { class: "id" }, r.id), h("div", { class: "title" }, r.title), why ? h("div", { class: "why" }, why) : null));
    if (mx) r.cells.forEach((c, i) => tr.append(h("td", { class: "mx" }, c ? h("span", { class: "badge v-" + c.verdict, "data-run": i,
      title: DATA.runs[i].label + ": " + c.verdict + (c.known ? " (known: " + c.known + ")" : ""),
      onclick: e => { e.stopPropagation(); open_detail(r.key, i); } }, c.verdict + (c.known ? " *" : "")) : h("span", { class: "muted" }, "—"))));
    tr.append(h("td", {}, r.protocol === "5" ? "5.0" : "3.1.1"), h("td", { class: "spec" }, r.spec.join(" ")),
              h("td", { class: "num" }, r.wall.toFixed(1) + " ms"));
    return tr;
  }));
  document.getElementById("f-count").textContent =
    rows.length + " of " + ROWS.length + " cases" + (shown.length < rows.length ? " (first " + shown.length + " shown)" : "") +
    (FILTER.run >= 0 ? " · " + [...FILTER.verdicts].join(", ") + " in " + DATA.runs[FILTER.run].label : "");
  document.querySelectorAll(".sec").forEach(el => el.classList.toggle("on", el.dataset.section === FILTER.section));
  document.querySelectorAll(".grow").forEach(el => el.classList.toggle("on", el.dataset.group === FILTER.group));
}
