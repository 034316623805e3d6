// Coverage per spec section: one square per normative statement, coloured by the
// worst verdict of the cases (of every run) that cite it; grey when none does.
function statement_verdicts(version) {
  const out = new Map();  // id -> [verdict, ...]
  for (const run of DATA.runs)
    for (const c of run.cases) {
      if (c.protocol !== version) continue;
      const ids = new Set([...(c.spec || []), ...(c.failures || []).flatMap(f => f.spec || [])]);
      for (const id of ids) {
        if (!out.has(id)) out.set(id, []);
        out.get(id).push(c.verdict);
      }
    }
  return out;
}

// "Variable header" says little alone: name the control packet of its chapter.
const PACKET_SECTIONS = { "3.1": "CONNECT", "3.2": "CONNACK", "3.3": "PUBLISH", "3.4": "PUBACK", "3.5": "PUBREC",
  "3.6": "PUBREL", "3.7": "PUBCOMP", "3.8": "SUBSCRIBE", "3.9": "SUBACK", "3.10": "UNSUBSCRIBE", "3.11": "UNSUBACK",
  "3.12": "PINGREQ", "3.13": "PINGRESP", "3.14": "DISCONNECT", "3.15": "AUTH" };
function section_label(sec, title) {
  const packet = PACKET_SECTIONS[sec.split(".").slice(0, 2).join(".")];
  return packet && sec.split(".").length > 2 && !title.startsWith(packet) ? packet + " " + title : title;
}

function render_heatmap(root, on_section) {
  root.replaceChildren();
  root.append(h("h2", {}, "Coverage of the normative statements"));
  const grid = h("div", { class: "heat" });
  for (const version of ["3.1.1", "5"]) {
    const rows = (DATA.spec && DATA.spec[version]) || [];
    const seen = statement_verdicts(version);
    const sections = new Map();
    for (const [id, sec, title, text] of rows) {
      if (!sections.has(sec)) sections.set(sec, { title, items: [] });
      sections.get(sec).items.push({ id, text });
    }
    const covered = rows.filter(r => seen.has(r[0])).length;
    const card = h("div", { class: "card" },
      h("h3", {}, version_name(version), h("small", {}, covered + " of " + rows.length + " statements cited by a case")));
    for (const [sec, info] of [...sections.entries()].sort((a, b) => section_cmp(a[0], b[0]))) {
      const cells = h("div", { class: "cells" });
      for (const it of info.items) {
        const vs = seen.get(it.id) || [];
        const w = worst(vs) || "none";
        const counts = VERDICTS.map(v => [v, vs.filter(x => x === v).length]).filter(x => x[1]);
        const tip = it.id + " — " + (vs.length ? vs.length + " case(s): " + counts.map(x => x[1] + " " + x[0]).join(", ")
                                                : "no case") + "\n" + it.text;
        cells.append(h("span", { class: "cell v-" + w, title: tip, "data-id": it.id }));
      }
      card.append(h("div", { class: "sec", "data-section": sec, title: "show the cases of section " + sec,
                             onclick: () => on_section(sec) },
        h("span", { class: "name", title: sec + " " + section_label(sec, info.title) }, h("b", {}, sec), section_label(sec, info.title)), cells));
    }
    grid.append(card);
  }
  root.append(grid);
  const legend = h("div", { class: "legend" });
  for (const v of [...VERDICTS, "none"])
    legend.append(h("span", {}, h("i", { class: "v-" + v }), v === "none" ? "not cited" : v));
  legend.append(h("span", {}, "square: one statement, worst verdict of its cases; click a section to filter"));
  root.append(legend);
}
