// The message sequence diagram of a case: a lifeline per client and one for the
// broker, time going down, an arrow per packet, and the link's decisions (delays,
// drops, cuts) drawn where and when they happened.
const SEQ_MAX_EVENTS = 500;

function link_kind(what) {
  const w = what.toLowerCase();
  if (/reset|rst|cut|closed|eof/.test(w)) return "cut";
  if (/blackhole|drop|loss|lost|partition|discard/.test(w)) return "drop";
  if (/delay|latency|jitter|retrans|rate|slice|stall|hold|bandwidth/.test(w)) return "delay";
  return "note";
}
// Bookkeeping the arrows already show (bytes sent, per-segment latency) is not drawn
// as a note; the link events table lists it all.
const LINK_QUIET = /^(client|broker) sent |delayed \d+ bytes by|^open$|^close: FIN|saw close|^slice_/;

// How long the link held each packet: the latency and retransmission delays the link
// traced for its direction on its connection, at the instant it was sent.
function link_delays(c) {
  const sums = new Map();  // "conn|up|t" -> seconds
  for (const e of c.link_events || []) {
    const m = /_(upstream|downstream): (?:delayed \d+ bytes by ([\d.]+) ms|lost \d+x; retransmitted after ([\d.]+) ms)/.exec(e.what);
    if (!m) continue;
    const key = e.connection + "|" + (m[1] === "upstream") + "|" + e.t_s;
    sums.set(key, Math.max(sums.get(key) || 0, 0) + Number(m[2] || m[3]) / 1000);
  }
  return sums;
}

// Packets count connections per client (victim#1, victim#2); the link counts them per
// case, in the order they opened. Pair them up by order of opening.
function connection_map(c) {
  const pairs = [], global_of = new Map(), client_of = new Map();
  for (const p of c.packets || []) {
    const k = p.client + "#" + p.connection;
    if (!pairs.includes(k)) pairs.push(k);
  }
  const opens = (c.link_events || []).filter(e => e.what === "open").map(e => e.connection);
  pairs.forEach((k, i) => {
    if (i >= opens.length) return;
    global_of.set(k, opens[i]);
    client_of.set(opens[i], k.slice(0, k.lastIndexOf("#")));
  });
  return { global_of, client_of };
}

// [send time, arrival time] of a packet; its record holds the client's side.
function packet_span(p, sums, conn) {
  if (conn === undefined) return [p.t_s, p.t_s];
  if (p.from === "client") return [p.t_s, p.t_s + (sums.get(conn + "|true|" + p.t_s) || 0)];
  for (const [key, d] of sums) {
    const [k_conn, up, t] = key.split("|");
    if (up === "false" && Number(k_conn) === conn && Math.abs(Number(t) + d - p.t_s) < 1e-4) return [Number(t), p.t_s];
  }
  return [p.t_s, p.t_s];
}

const LINK_STYLE = {
  cut: { color: "#cf222e", mark: "✕" }, drop: { color: "#cf222e", mark: "⊘" },
  delay: { color: "#d4650f", mark: "⏱" }, note: { color: "#656d76", mark: "•" },
};

function sequence_svg(c) {
  const clients = [];
  for (const p of c.packets || []) if (!clients.includes(p.client)) clients.push(p.client);
  const { global_of, client_of: conn_client } = connection_map(c);
  const failed_text = new Set((c.failures || []).map(f => f.actual).filter(Boolean));
  const events = [];
  for (const p of c.packets || []) events.push({ t: p.t_s, kind: "packet", p });
  // Repeated identical decisions at one instant draw once.
  let last = "";
  for (const e of c.link_events || []) {
    if (LINK_QUIET.test(e.what)) continue;
    const key = e.t_s + "|" + e.connection + "|" + e.what;
    if (key === last) continue;
    last = key;
    events.push({ t: e.t_s, kind: "link", e });
  }
  events.sort((a, b) => a.t - b.t);
  const truncated = events.length > SEQ_MAX_EVENTS ? events.length : 0;
  if (truncated) events.length = SEQ_MAX_EVENTS;
  if (!events.length) return h("p", { class: "muted" }, "No packets were exchanged.");

  const left = 86, lane = 200, top = 46;
  const x_of = name => left + 40 + clients.indexOf(name) * lane;
  const broker_x = left + 40 + Math.max(1, clients.length) * lane + 120;
  const width = broker_x + 170;
  // Time goes down, compressed: a gap grows with the log of its length, and a long
  // gap is marked with a break, so bursts stay readable next to 10 s keepalives.
  let y = top, prev = null;
  const rows = [];
  for (const ev of events) {
    let brk = null;
    if (prev !== null) {
      const dt_ms = (ev.t - prev) * 1000;
      y += dt_ms <= 0 ? 20 : 24 + Math.min(70, 18 * Math.log10(1 + dt_ms));
      if (dt_ms >= 1500) brk = ev.t - prev;
    }
    rows.push({ ev, y, brk, new_time: prev === null || ev.t !== prev });
    prev = ev.t;
  }
  const height = y + 40;
  // Any instant to a height: linear between the rows' instants.
  const anchors = [];
  for (const r of rows) if (r.new_time) anchors.push([r.ev.t, r.y]);
  const y_at = t => {
    if (t <= anchors[0][0]) return anchors[0][1];
    for (let i = 1; i < anchors.length; i++)
      if (t <= anchors[i][0]) {
        const [t0, y0] = anchors[i - 1], [t1, y1] = anchors[i];
        return y0 + (y1 - y0) * (t - t0) / (t1 - t0);
      }
    return anchors[anchors.length - 1][1] + 16;
  };
  const sums = link_delays(c);
  const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
                         "aria-label": "message sequence diagram" });
  const defs = s("defs");
  for (const [id, col] of [["a-up", "#0969da"], ["a-down", "#6639ba"], ["a-bad", "#cf222e"]]) {
    const m = s("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    m.append(s("path", { d: "M0,0 L10,5 L0,10 z", fill: col }));
    defs.append(m);
  }
  svg.append(defs);
  // Lifelines with their heads.
  const head = (x, label, fill) => {
    svg.append(s("line", { x1: x, y1: 30, x2: x, y2: height - 10, stroke: "#d0d7de", "stroke-width": 2 }));
    svg.append(s("rect", { x: x - 62, y: 6, width: 124, height: 24, rx: 5, fill }));
    svg.append(s("text", { x, y: 22, "text-anchor": "middle", fill: "#fff", "font-size": 12, "font-weight": 600 },
                 label.length > 17 ? label.slice(0, 16) + "…" : label));
  };
  clients.forEach(n => head(x_of(n), n, "#0969da"));
  head(broker_x, "broker", "#6639ba");

  // Blackholed connections: a band from the decision to the next "clear" or the end.
  const open_band = new Map();
  const band = (conn, y0, y1) => {
    const cl = conn_client.get(conn);
    if (cl === undefined) return;
    svg.append(s("rect", { x: x_of(cl) + 6, y: y0, width: broker_x - x_of(cl) - 12, height: Math.max(4, y1 - y0),
                           fill: "#cf222e", opacity: 0.07 }));
  };
  for (const r of rows) {
    if (r.brk !== null)
      svg.append(s("text", { x: 8, y: r.y - 14, "font-size": 10, fill: "#8c959f" }, "⋮ +" + fmt_s(r.brk)));
    if (r.new_time)
      svg.append(s("text", { x: left, y: r.y + 4, "text-anchor": "end", "font-size": 10.5, fill: "#656d76" }, fmt_s(r.ev.t)));
    if (r.ev.kind === "packet") {
      const p = r.ev.p, up = p.from === "client";
      const xa = up ? x_of(p.client) : broker_x, xb = up ? broker_x : x_of(p.client);
      const bad = !up && failed_text.has(p.text);
      const col = bad ? "#cf222e" : up ? "#0969da" : "#6639ba";
      const g = s("g", { class: "pkt" });
      const [t_send, t_arrive] = packet_span(p, sums, global_of.get(p.client + "#" + p.connection));
      // The arrow leaves when the packet was sent and lands when the link delivered it.
      const ya = up ? r.y - 3 : Math.min(r.y - 3, y_at(t_send)), yb = up ? Math.max(r.y + 3, y_at(t_arrive)) : r.y + 3;
      const held = t_arrive - t_send > 0 ? `, link ${fmt_s(t_arrive - t_send)}` : "";
      g.append(s("title", {}, `${fmt_s(p.t_s)}  ${p.client}#${p.connection} ${up ? "→" : "←"} ${p.text}${held}\n${p.hex || ""}`));
      g.append(s("line", { x1: xa, y1: ya, x2: xb + (up ? -3 : 3), y2: yb, stroke: col, "stroke-width": bad ? 2.2 : 1.5,
                           "marker-end": `url(#${bad ? "a-bad" : up ? "a-up" : "a-down"})` }));
      const label = p.text.length > 46 ? p.text.slice(0, 45) + "…" : p.text;
      const tx = up ? xa + 10 : xb + 10;  // the label starts at the client's end, where the row's time is
      g.append(s("text", { x: tx, y: r.y - 6, "font-size": 11, fill: col }, label));
      svg.append(g);
    } else {
      const e = r.ev.e, kind = link_kind(e.what), st = LINK_STYLE[kind];
      const cl = conn_client.get(e.connection);
      const x = cl === undefined ? broker_x - 60 : x_of(cl) + 34;
      if (/blackhole/i.test(e.what)) open_band.set(e.connection, r.y);
      if (/clear/i.test(e.what) && open_band.has(e.connection)) { band(e.connection, open_band.get(e.connection), r.y); open_band.delete(e.connection); }
      const g = s("g", { class: "link " + kind });
      g.append(s("title", {}, `${fmt_s(e.t_s)}  connection ${e.connection}: ${e.what}`));
      g.append(s("text", { x, y: r.y + 4, "font-size": 13, fill: st.color, "text-anchor": "middle" }, st.mark));
      g.append(s("text", { x: x + 12, y: kind === "cut" ? r.y - 4 : r.y + 4, "font-size": 10.5, fill: st.color },
                 e.what.length > 60 ? e.what.slice(0, 59) + "…" : e.what));
      if (kind === "cut" && cl !== undefined)
        g.append(s("line", { x1: x_of(cl), y1: r.y, x2: broker_x, y2: r.y, stroke: st.color, "stroke-width": 1, "stroke-dasharray": "2 4" }));
      svg.append(g);
    }
  }
  for (const [conn, y0] of open_band) band(conn, y0, height - 10);
  const box = h("div", { class: "seq" }, svg);
  if (truncated) box.prepend(h("p", { class: "muted" }, `first ${SEQ_MAX_EVENTS} of ${truncated} events`));
  return box;
}
