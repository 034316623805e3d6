// index.html?selftest=1: drives the filters and the case detail the way a person
// would, and writes the outcome into the selftest element (data-status pass or fail), which
// headless Chromium's --dump-dom prints for the ctest test.
const SELFTEST_ERRORS = [];
window.addEventListener("error", e => SELFTEST_ERRORS.push(String(e.message)));
if (/[?&]selftest=1/.test(location.search)) {
  const original = console.error;
  console.error = (...a) => { SELFTEST_ERRORS.push(a.join(" ")); original.apply(console, a); };
}

function selftest() {
  const checks = [];
  const check = (name, ok, info) => checks.push({ name, ok: !!ok, info: info === undefined ? "" : String(info) });
  const visible = () => [...document.querySelectorAll("#case-body tr.row")];
  const key_row = tr => ROWS.find(r => r.key === tr.dataset.key);
  try {
    check("every case has a row", visible().length === Math.min(ROWS.length, 1500), visible().length + " rows");
    check("heat map has a square per statement",
          document.querySelectorAll(".cell[data-id]").length === Object.values(DATA.spec).reduce((n, r) => n + r.length, 0));
    for (const v of VERDICTS) {
      set_filter({ verdicts: new Set([v]) });
      const rows = visible();
      const want = ROWS.filter(r => r.cells.some(c => c && c.verdict === v)).length;
      check("verdict filter " + v, rows.length === want && rows.every(tr => key_row(tr).cells.some(c => c && c.verdict === v)),
            rows.length + " of " + want);
    }
    // A row of verdict tiles per run, each counting that run's cases only.
    const tile_rows = [...document.querySelectorAll("#tiles .tiles[data-run]")];
    check("a row of tiles per run", tile_rows.length === DATA.runs.length, tile_rows.length);
    DATA.runs.forEach((run, i) => {
      const row = tile_rows[i], shown = {}, want = {};
      if (!row) return;
      row.querySelectorAll(".tile").forEach(t => shown[t.dataset.verdict] = Number(t.querySelector("b").textContent));
      for (const c of run.cases) want[c.verdict] = (want[c.verdict] || 0) + 1;
      check("tiles count " + run.label + "'s verdicts", VERDICTS.every(v => shown[v] === (want[v] || 0)),
            VERDICTS.map(v => shown[v] + "/" + (want[v] || 0)).join(" "));
    });
    const last = DATA.runs.length - 1;
    const tile = [...document.querySelectorAll(`#tiles .tiles[data-run="${last}"] .tile:not(.zero)`)].pop();
    if (tile) {
      set_filter({});
      tile.click();
      const v = tile.dataset.verdict, rows = visible();
      const want = ROWS.filter(r => r.cells[last] && r.cells[last].verdict === v).length;
      check("a tile filters by its run's verdict", rows.length === want &&
            rows.every(tr => key_row(tr).cells[last] && key_row(tr).cells[last].verdict === v), v + ": " + rows.length + " of " + want);
      set_filter({});
    }
    // The summary by group: a row per group, a cell per run with its passed/run count.
    const group_rows = [...document.querySelectorAll("#group-table tr.grow")];
    const groups = [...new Set(ROWS.map(r => r.group))];
    check("a summary row per group", group_rows.length === groups.length && group_rows.length > 0, group_rows.length + " of " + groups.length);
    check("a summary cell per group and run", group_rows.every(tr => tr.querySelectorAll("td.gcell").length === DATA.runs.length));
    const cell_ok = group_rows.every(tr => [...tr.querySelectorAll("td.gcell")].every(td => {
      const cs = ROWS.filter(r => r.group === td.dataset.group).map(r => r.cells[Number(td.dataset.run)]).filter(Boolean);
      const run = cs.filter(c => c.verdict !== "skipped").length, pass = cs.filter(c => c.verdict === "pass").length;
      return td.querySelector("b").textContent === (run ? pass + "/" + run : cs.length ? "skipped" : "—");
    }));
    check("summary cells count passed/run", cell_ok);
    const gcell = document.querySelector(`#group-table td.gcell[data-run="${last}"]`);
    if (gcell) {
      gcell.click();
      const g = gcell.dataset.group, rows = visible(), want = ROWS.filter(r => r.group === g).length;
      check("a summary cell filters the table by group", rows.length === Math.min(want, 1500) && rows.every(tr => key_row(tr).group === g),
            g + ": " + rows.length + " of " + want);
      check("the group filter shows in the filter bar", document.getElementById("f-group").value === g);
      set_filter({});
    }
    const tags = [...new Set(ROWS.flatMap(r => r.tags))];
    if (tags.length) {
      set_filter({ tag: tags[0] });
      const rows = visible();
      check("tag filter", rows.length > 0 && rows.every(tr => key_row(tr).tags.includes(tags[0])), tags[0] + ": " + rows.length);
    }
    const sec = ROWS.find(r => r.sections.size);
    if (sec) {
      const x = [...sec.sections][0];
      document.querySelector(`.sec[data-section="${x}"]`).click();
      const rows = visible();
      check("section filter (heat map click)", rows.length > 0 && rows.every(tr => key_row(tr).sections.has(x)), x + ": " + rows.length);
    }
    if (DATA.runs.length > 1) {
      set_filter({ differ: true });
      const rows = visible();
      check("runs-differ filter", rows.every(tr => new Set(key_row(tr).cells.map(c => c ? c.verdict : "absent")).size > 1), rows.length);
      const badge_el = document.querySelector("#case-body td.mx .badge[data-run='1']");
      if (badge_el) {
        badge_el.click();
        check("a matrix cell opens that run's detail", document.querySelector(".tabs button.on") &&
              document.querySelector(".tabs button.on").textContent === DATA.runs[1].label);
        close_detail();
      }
    }
    const probe = ROWS[ROWS.length - 1];
    set_filter({ q: probe.id });
    check("text search", visible().some(tr => tr.dataset.key === probe.key), probe.id);
    set_filter({ q: "no such case zzzz" });
    check("text search with no match", visible().length === 0);
    set_filter({});
    const target = ROWS.find(r => r.cells.some(c => c && c.failures && c.failures.length)) || ROWS[0];
    document.querySelector(`#case-body tr.row[data-key="${CSS.escape(target.key)}"]`).click();
    const aside = document.getElementById("detail");
    const cell = target.cells.find(c => c && c.failures && c.failures.length) || target.cells.find(Boolean);
    check("case detail opens", !aside.hidden && document.getElementById("detail-id").textContent === target.id, target.id);
    check("detail shows the failures", !cell.failures.length || aside.querySelectorAll(".failure").length === cell.failures.length);
    check("sequence diagram has an arrow per packet",
          aside.querySelectorAll(".seq g.pkt").length === Math.min(cell.packets.length, SEQ_MAX_EVENTS), aside.querySelectorAll(".seq g.pkt").length);
    check("detail shows the golden trace's differences", !cell.trace || cell.trace === "same" ||
          aside.querySelectorAll(".trace-diff li").length === Math.min((cell.trace_differences || []).length, 200));
    check("spec statements have their text", [...aside.querySelectorAll(".spec-item div")].every(d => d.textContent.length > 10));
    close_detail();
    check("detail closes", aside.hidden);
  } catch (e) {
    check("no exception", false, e && e.stack ? e.stack : e);
  }
  check("no console errors", SELFTEST_ERRORS.length === 0, SELFTEST_ERRORS.join(" | "));
  const out = document.getElementById("selftest");
  const ok = checks.every(c => c.ok);
  out.hidden = false;
  out.dataset.status = ok ? "pass" : "fail";
  out.textContent = checks.map(c => (c.ok ? "ok   " : "FAIL ") + c.name + (c.info ? " (" + c.info + ")" : "")).join("\n");
}
