// Results by scenario group, one column per run (broker), like Autobahn|Testsuite's
// summary: a cell is "passed/run" (skipped cases left out) over a bar of the verdict
// shares, tinted by the worst of them; a click shows that group's cases in the table.
function group_counts() {
  const groups = new Map();  // group -> per run {verdict: n}
  for (const r of ROWS) {
    if (!groups.has(r.group)) groups.set(r.group, DATA.runs.map(() => ({})));
    r.cells.forEach((c, i) => { if (c) groups.get(r.group)[i][c.verdict] = (groups.get(r.group)[i][c.verdict] || 0) + 1; });
  }
  return new Map([...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

// all: every case run passed; soft: non-strict at worst; bad: a fail, error or flaky.
function group_tint(counts) {
  const run = VERDICTS.filter(v => v !== "skipped").reduce((n, v) => n + (counts[v] || 0), 0);
  if (!run) return "none";
  if (counts.fail || counts.error || counts.flaky) return "bad";
  return counts["non-strict"] ? "soft" : "all";
}

function group_cell(group, counts, i) {
  const all = VERDICTS.reduce((n, v) => n + (counts[v] || 0), 0), run = all - (counts.skipped || 0);
  const text = run ? (counts.pass || 0) + "/" + run : all ? "skipped" : "—";
  const detail = VERDICTS.filter(v => counts[v]).map(v => counts[v] + " " + v).join(", ") || "no case";
  return h("td", { class: "gcell g-" + group_tint(counts), "data-group": group, "data-run": i,
                   title: DATA.runs[i].label + ", " + group + ": " + detail + " — click to show these cases",
                   onclick: () => show_group(group) },
    h("b", {}, text), all ? counts_bar(counts, all) : null);
}

function show_group(group) {
  set_filter({ group });
  document.getElementById("cases").scrollIntoView();
}

function render_groups() {
  const root = document.getElementById("groups");
  const groups = group_counts();
  const mx = DATA.runs.length > 1;
  const head = h("tr", {}, h("th", {}, "group"),
    ...DATA.runs.map(r => h("th", { title: r.broker }, mx ? r.label : "passed / run")));
  const t = h("table", { class: "groups card", id: "group-table" }, h("thead", {}, head));
  const body = h("tbody", {});
  for (const [g, per_run] of groups)
    body.append(h("tr", { class: "grow", "data-group": g },
      h("th", { title: "show the cases of " + g, onclick: () => show_group(g) }, g),
      ...per_run.map((counts, i) => group_cell(g, counts, i))));
  t.append(body);
  root.replaceChildren(h("h2", {}, "By group" + (mx ? " and broker" : "")), t);
}
