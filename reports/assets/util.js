// Shared helpers: element builders, verdict order and formatting.
const VERDICTS = ["pass", "fail", "non-strict", "skipped", "error", "flaky"];
// Worst first when a cell stands for several cases.
const SEVERITY = { skipped: 0, pass: 1, "non-strict": 2, flaky: 3, error: 4, fail: 5 };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVGNS = "http://www.w3.org/2000/svg";
function s(tag, attrs, text) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function badge(v) { return h("span", { class: "badge v-" + v }, v); }

function worst(verdicts) {
  let w = null;
  for (const v of verdicts) if (v && (w === null || SEVERITY[v] > SEVERITY[w])) w = v;
  return w;
}

function fmt_s(x) {
  if (x === undefined || x === null) return "";
  if (x === 0) return "0 s";
  if (x >= 100) return x.toFixed(1) + " s";
  if (x >= 1) return x.toFixed(3) + " s";
  return (x * 1000).toFixed(x < 0.01 ? 2 : 1) + " ms";
}

// "MQTT-3.1.2-24" -> "3.1.2"
function section_of(id) {
  const m = /^MQTT-(.+)-\d+$/.exec(id);
  return m ? m[1] : "";
}

// The scenario group of a case: the first part of its id, below a version folder
// ("will" for will/qos@5 and for v5/will/delay@5).
function group_of(id) {
  const rest = id.replace(/^v(5|3\.1\.1)\//, "");
  const slash = rest.indexOf("/");
  return slash > 0 ? rest.slice(0, slash) : "other";
}

// Numeric order of dotted section numbers: 3.10 after 3.9.
function section_cmp(a, b) {
  const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}

function version_name(p) { return p === "5" ? "MQTT 5.0" : "MQTT 3.1.1"; }

// Hex in groups of bytes, so a long payload wraps at byte boundaries.
function hex_lines(hex) {
  const bytes = (hex || "").replace(/\s+/g, "").match(/.{1,2}/g) || [];
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(bytes.slice(i, i + 16).join(" "));
  return lines.join("\n");
}
