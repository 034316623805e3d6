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
