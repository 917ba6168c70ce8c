"use strict";
// Lanes: one lane per channel, stacked, each with its own y axis in the channel's unit (auto or fixed range),
// under them one time axis in seconds; gaps shaded, events as vertical lines, a cursor readout of every channel.
// Drawn by hand on canvases, so nothing is fetched from anywhere but this server. The live view (/) and the
// recording view (/recording/NAME) share it; they differ only in where their points come from (setData).
//
// Points: { count, time[k] (s), width (s; a bucket's width, 0 for single samples), period (s between samples),
// min[channel][k], max[channel][k] } with null or NaN where a channel has no value. What was drawn is also
// written to data-* attributes (window, ticks, shaded gaps), for the tests and for anyone reading the DOM.
const Lanes = (() => {
  const UNITS = { um: "µm", degC: "°C", degF: "°F", ohm: "Ω", kohm: "kΩ", uV: "µV", uA: "µA", us: "µs", uT: "µT" };
  const unitText = u => UNITS[u] || u;
  const color = i => `hsl(${(i * 137) % 360} 75% 62%)`;
  const MARGIN = 64, RIGHT = 10;
  const EVENT_COLORS = { marker: "#fff", trigger: "#fd0", reconnect: "#f90", disconnect: "#f90", status: "#4cf" };

  // Builds an element; text always goes in as text, never as HTML (names come from instruments and files).
  function h(tag, attributes = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
      if (k === "class") e.className = v; else if (k.startsWith("on")) e[k] = v; else if (v !== undefined && v !== null) e.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  // Round steps (1, 2 or 5 × 10^n) giving about `count` ticks over [lo, hi], and never fewer than three.
  function ticks(lo, hi, count) {
    const span = hi - lo;
    if (!(span > 0) || !isFinite(span)) return { step: 0, values: [] };
    for (let want = Math.max(2, count); ; want *= 2) {
      const raw = span / want, power = Math.pow(10, Math.floor(Math.log10(raw)));
      const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw * (1 - 1e-9));
      const values = [];
      for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) values.push(i * step);
      if (values.length >= 3 || want > 64) return { step, values };
    }
  }
  function tickText(v, step) {
    if (Math.abs(v) < step * 1e-6) return "0";
    if (step >= 1e5 || step < 1e-4) return v.toExponential(Math.max(0, Math.ceil(-Math.log10(step / Math.abs(v)))));
    return v.toFixed(Math.max(0, Math.min(9, -Math.floor(Math.log10(step) + 1e-9))));
  }
  function valueText(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    if (Math.abs(v) >= 1e7) return v.toExponential(4);
    return String(Number(v.toPrecision(6)));
  }
  const secondsText = (t, step) => t.toFixed(Math.max(0, Math.min(6, -Math.floor(Math.log10(step || 1) + 1e-9) + 1)));
  const utcText = ms => new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");
  const present = v => v !== null && v !== undefined && !Number.isNaN(v);

  class View {
    // options: zoomable (wheel/drag/pinch change the window and call onView(t0, t1)), onClick(t), laneHeight (px).
    constructor(parent, channels, options = {}) {
      this.channels = channels;
      this.options = options;
      this.t0 = 0; this.t1 = 1;
      this.data = null; this.gaps = []; this.events = []; this.cursor = null; this.utc = null;
      this.root = h("div", { class: "lanes" + (options.zoomable ? " zoomable" : "") });
      parent.append(this.root);
      this.lanes = channels.map((c, i) => this.makeLane(c, i));
      this.axis = h("canvas", { class: "time-axis" });
      this.readout = h("div", { class: "readout" }, "point at a lane to read every channel at that time");
      this.root.append(this.axis, this.readout);
      this.setLaneHeight(options.laneHeight || Math.max(72, Math.min(150, Math.floor((innerHeight - 300) / channels.length))));
      this.dirty = true;
      new ResizeObserver(() => { this.dirty = true; }).observe(this.root);
      this.listen();
      const loop = () => { if (this.dirty) this.render(); requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
    }

    makeLane(c, i) {
      const auto = h("input", { type: "checkbox", class: "auto", checked: "", title: "fit the range to what is shown" });
      const lo = h("input", { class: "ymin", type: "number", step: "any", "aria-label": "lowest value shown" });
      const hi = h("input", { class: "ymax", type: "number", step: "any", "aria-label": "highest value shown" });
      const fixed = h("span", { class: "fixed", hidden: "" }, lo, " to ", hi);
      const canvas = h("canvas", { class: "lane-plot" });
      const el = h("div", { class: "lane", "data-channel": c.name, "data-unit": c.unit, "data-kind": c.kind || "", "data-index": i },
        h("div", { class: "lane-head" }, h("span", { class: "swatch", style: `background:${color(i)}` }),
          h("span", { class: "lane-name" }, c.name), " ", h("span", { class: "lane-unit" }, `[${unitText(c.unit)}]`),
          h("label", { class: "range" }, auto, " auto"), fixed),
        canvas);
      const lane = { el, canvas, auto: true, lo: -1, hi: 1 };
      auto.onchange = () => {
        lane.auto = auto.checked;
        fixed.hidden = lane.auto;
        if (!lane.auto) { lo.value = Number(lane.lo.toPrecision(4)); hi.value = Number(lane.hi.toPrecision(4)); }
        this.dirty = true;
      };
      const fix = () => {
        const a = Number(lo.value), b = Number(hi.value);
        if (isFinite(a) && isFinite(b) && b > a) { lane.lo = a; lane.hi = b; this.dirty = true; }
      };
      lo.onchange = fix; hi.onchange = fix;
      this.root.append(el);
      return lane;
    }

    setLaneHeight(px) { for (const l of this.lanes) l.el.style.height = px + "px"; this.dirty = true; }
    setWindow(t0, t1) { if (t1 > t0) { this.t0 = t0; this.t1 = t1; this.dirty = true; } }
    // Drawn at once, so what the page shows (and its data-* attributes) always matches the data it was given.
    setData(data) { this.data = data; this.render(); }
    // gaps: [{ from, to, cause, count, merged }] in seconds; events: [{ t, kind, detail }].
    setMarks(gaps, events) { this.gaps = gaps || []; this.events = events || []; this.dirty = true; }
    // t (s) → { ms: UTC milliseconds, approx: true when only estimated }, or null when unknown.
    setUTC(fn) { this.utc = fn; }

    plotWidth() { return Math.max(1, (this.lanes[0] ? this.lanes[0].canvas.clientWidth : 600) - MARGIN - RIGHT); }
    x(t, W) { return MARGIN + (t - this.t0) / (this.t1 - this.t0) * (W - MARGIN - RIGHT); }
    timeAt(clientX) {
      const r = this.lanes[0].canvas.getBoundingClientRect();
      return this.t0 + (clientX - r.left - MARGIN) / Math.max(1, r.width - MARGIN - RIGHT) * (this.t1 - this.t0);
    }

    fit(canvas) {
      const dpr = window.devicePixelRatio || 1, W = canvas.clientWidth, H = canvas.clientHeight;
      const w = Math.max(1, Math.round(W * dpr)), hh = Math.max(1, Math.round(H * dpr));
      if (canvas.width !== w || canvas.height !== hh) { canvas.width = w; canvas.height = hh; }
      const g = canvas.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      return { g, W, H };
    }

    render() {
      this.dirty = false;
      const shaded = [];
      let columns = 0;
      this.timeTicks = ticks(this.t0, this.t1, Math.floor(this.plotWidth() / 80));
      this.lanes.forEach((lane, c) => { columns += this.renderLane(lane, c, c === 0 ? shaded : null); });
      this.renderAxis();
      const d = this.root.dataset;
      d.t0 = this.t0.toFixed(6); d.t1 = this.t1.toFixed(6);
      d.drawnColumns = columns;
      d.gapsDrawn = shaded.length;
      const s = JSON.stringify(shaded);
      if (d.shaded !== s) d.shaded = s;
      if (this.cursor !== null) this.showReadout(this.cursor);
    }

    // Auto range: what is shown, with a little room; a flat signal gets a band around its value.
    autoRange(c) {
      const d = this.data;
      let lo = Infinity, hi = -Infinity;
      if (d) for (let k = 0; k < d.count; k++) {
        const t = d.time[k];
        if (t + (d.width || 0) < this.t0 || t > this.t1) continue;
        const a = d.min[c][k], b = d.max[c][k];
        if (present(a) && a < lo) lo = a;
        if (present(b) && b > hi) hi = b;
      }
      if (!(hi >= lo)) return null;
      if (hi === lo) { const pad = Math.abs(lo) * 0.01 || 1; return [lo - pad, hi + pad]; }
      const pad = (hi - lo) * 0.06;
      return [lo - pad, hi + pad];
    }

    renderLane(lane, c, shaded) {
      const { g, W, H } = this.fit(lane.canvas);
      g.fillStyle = "#111"; g.fillRect(0, 0, W, H);
      if (lane.auto) { const r = this.autoRange(c); if (r) [lane.lo, lane.hi] = r; }
      const { lo, hi } = lane, top = 5, bottom = H - 5;
      const Y = v => bottom - (v - lo) / (hi - lo) * (bottom - top);
      const yt = ticks(lo, hi, Math.floor((bottom - top) / 26));
      g.font = "11px system-ui, sans-serif"; g.textAlign = "right"; g.textBaseline = "middle";
      g.strokeStyle = "#2b2b2b"; g.lineWidth = 1; g.beginPath();
      for (const v of yt.values) { const y = Math.round(Y(v)) + 0.5; g.moveTo(MARGIN, y); g.lineTo(W - RIGHT, y); }
      for (const t of this.timeTicks.values) { const x = Math.round(this.x(t, W)) + 0.5; g.moveTo(x, top); g.lineTo(x, bottom); }
      g.stroke();
      // Labels from the top down, each only where it does not run into the one above it.
      g.fillStyle = "#bbb";
      const labels = [];
      let above = -Infinity;
      for (const v of yt.values.slice().reverse()) {
        const y = Math.min(bottom - 4, Math.max(top + 4, Y(v)));
        if (y - above < 12) continue;
        g.fillText(tickText(v, yt.step), MARGIN - 6, y);
        labels.unshift(tickText(v, yt.step));
        above = y;
      }
      const ds = lane.el.dataset, tickList = labels.join("|");
      if (ds.ticks !== tickList) ds.ticks = tickList;
      ds.yMin = lo; ds.yMax = hi; ds.auto = lane.auto;

      g.save();
      g.beginPath(); g.rect(MARGIN, 0, W - MARGIN - RIGHT, H); g.clip();
      g.fillStyle = "rgba(255, 64, 64, 0.30)";
      for (const gap of this.gaps) {
        if (gap.to < this.t0 || gap.from > this.t1) continue;
        let x0 = this.x(gap.from, W), x1 = this.x(gap.to, W);
        if (x1 - x0 < 2) { const m = (x0 + x1) / 2; x0 = m - 1; x1 = m + 1; }
        g.fillRect(x0, 0, x1 - x0, H);
        if (shaded) shaded.push({ t0: gap.from, t1: gap.to, x0: Math.round(x0), x1: Math.round(x1), cause: gap.cause, count: gap.count });
      }
      const columns = this.trace(g, c, W, Y);
      for (const e of this.events) {
        if (e.t < this.t0 || e.t > this.t1) continue;
        const x = Math.round(this.x(e.t, W)) + 0.5;
        g.strokeStyle = EVENT_COLORS[e.kind] || "#aaa"; g.setLineDash(e.kind === "marker" ? [4, 4] : []);
        g.beginPath(); g.moveTo(x, 0); g.lineTo(x, H); g.stroke();
      }
      g.setLineDash([]);
      if (this.level && this.level.channel === c && this.level.value >= lo && this.level.value <= hi) {
        const y = Math.round(Y(this.level.value)) + 0.5;
        g.strokeStyle = "#fd0"; g.setLineDash([2, 6]); g.beginPath(); g.moveTo(MARGIN, y); g.lineTo(W, y); g.stroke(); g.setLineDash([]);
      }
      if (this.cursor !== null && this.cursor >= this.t0 && this.cursor <= this.t1) {
        const x = Math.round(this.x(this.cursor, W)) + 0.5;
        g.strokeStyle = "#999"; g.beginPath(); g.moveTo(x, 0); g.lineTo(x, H); g.stroke();
      }
      g.restore();
      return columns;
    }

    // Each point as a vertical stroke from its min to its max, joined to the one before when no samples are
    // missing between them: the envelope of a dense signal, the line of a sparse one.
    trace(g, c, W, Y) {
      const d = this.data;
      if (!d) return 0;
      const join = 1.5 * Math.max(d.width || 0, d.period || 0), half = (d.width || 0) / 2;
      let columns = 0, previous = null;
      g.strokeStyle = color(c); g.lineWidth = 1.2; g.beginPath();
      for (let k = 0; k < d.count; k++) {
        const t = d.time[k], a = d.min[c][k], b = d.max[c][k];
        if (!present(a) || !present(b) || t + 2 * half < this.t0 - join || t > this.t1 + join) { previous = null; continue; }
        const x = this.x(t + half, W), ya = Y(b), yb = Y(a);
        if (previous !== null && t - previous <= join) g.lineTo(x, ya); else g.moveTo(x, ya);
        g.lineTo(x, ya === yb ? yb + 0.01 : yb);
        if (ya === yb && (previous === null || t - previous > join)) g.lineTo(x + 1.5, yb);
        previous = t;
        columns++;
      }
      g.stroke();
      return columns;
    }

    renderAxis() {
      const { g, W, H } = this.fit(this.axis);
      g.fillStyle = "#1b1b1b"; g.fillRect(0, 0, W, H);
      g.font = "11px system-ui, sans-serif"; g.textBaseline = "top"; g.fillStyle = "#ccc"; g.strokeStyle = "#777";
      const { step, values } = this.timeTicks, labels = [];
      g.beginPath();
      for (const t of values) {
        const x = Math.round(this.x(t, W)) + 0.5;
        g.moveTo(x, 0); g.lineTo(x, 5);
        const text = tickText(t, step);
        labels.push(text);
        g.textAlign = "center"; g.fillText(text, Math.min(W - 20, Math.max(MARGIN, x)), 8);
      }
      g.stroke();
      g.textAlign = "left"; g.fillText("time [s]", 4, 8);
      const list = labels.join("|");
      if (this.root.dataset.timeTicks !== list) this.root.dataset.timeTicks = list;
    }

    // The point of channel c covering time t: the last one starting at or before t, if t is within its width
    // (or, between single samples, within half a sample period).
    valueAt(c, t) {
      const d = this.data;
      if (!d || d.count === 0) return null;
      let lo = 0, hi = d.count - 1;
      if (d.time[0] > t) return null;
      while (lo < hi) { const m = (lo + hi + 1) >> 1; if (d.time[m] <= t) lo = m; else hi = m - 1; }
      const reach = Math.max(d.width || 0, (d.period || 0) * 0.5 + 1e-12);
      let k = lo;
      if (t - d.time[k] > reach && k + 1 < d.count && d.time[k + 1] - t <= reach) k = k + 1;
      else if (t - d.time[k] > reach) return null;
      return { min: d.min[c][k], max: d.max[c][k] };
    }

    showReadout(t) {
      const parts = [h("b", {}, `t = ${secondsText(t, (this.t1 - this.t0) / 1000)} s`)];
      const utc = this.utc ? this.utc(t) : null;
      if (utc) parts.push(h("span", { class: "utc" }, (utc.approx ? "≈ " : "") + utcText(utc.ms)));
      this.channels.forEach((ch, c) => {
        const v = this.valueAt(c, t);
        const text = !v || !present(v.min) ? "–" : v.min === v.max ? valueText(v.min) : `${valueText(v.min)} … ${valueText(v.max)}`;
        parts.push(h("span", { class: "value", "data-channel": ch.name },
          h("span", { class: "swatch", style: `background:${color(c)}` }), `${ch.name} ${text} ${unitText(ch.unit)}`));
      });
      for (const gap of this.gaps) if (t >= gap.from && t <= gap.to) {
        parts.push(h("span", { class: "gap-note" }, `gap: ${gap.cause}, ${gap.count} sample${gap.count === 1 ? "" : "s"} missing` +
          (gap.merged > 1 ? ` in ${gap.merged} gaps` : "") + ` (${gap.from.toFixed(4)}–${gap.to.toFixed(4)} s)`));
      }
      const near = (this.t1 - this.t0) / this.plotWidth() * 4;
      for (const e of this.events) if (Math.abs(e.t - t) <= near) parts.push(h("span", { class: "event-note" }, `${e.kind}: ${e.detail}`));
      this.readout.replaceChildren(...parts);
      this.readout.dataset.t = t;
    }

    listen() {
      const plots = () => this.lanes.map(l => l.canvas);
      let drag = null;
      for (const canvas of plots()) {
        canvas.addEventListener("pointermove", e => {
          this.cursor = this.timeAt(e.clientX);
          if (drag && this.options.zoomable) {
            const dt = (drag.x - e.clientX) / this.plotWidth() * (drag.t1 - drag.t0);
            if (Math.abs(drag.x - e.clientX) > 3) drag.moved = true;
            this.setWindow(drag.t0 + dt, drag.t1 + dt);
          }
          this.dirty = true;
        });
        canvas.addEventListener("pointerleave", () => { if (!drag) { this.cursor = null; this.dirty = true; } });
        canvas.addEventListener("pointerdown", e => {
          drag = { x: e.clientX, t0: this.t0, t1: this.t1, moved: false };
          if (this.options.zoomable) canvas.setPointerCapture(e.pointerId);
        });
        canvas.addEventListener("pointerup", e => {
          const d = drag;
          drag = null;
          if (!d) return;
          if (d.moved && this.options.onView) this.options.onView(this.t0, this.t1);
          else if (!d.moved && this.options.onClick) this.options.onClick(this.timeAt(e.clientX));
        });
        if (this.options.zoomable) canvas.addEventListener("wheel", e => {
          e.preventDefault();
          this.zoom(Math.pow(1.0015, e.deltaY), this.timeAt(e.clientX));
        }, { passive: false });
      }
    }

    // Scales the window by `factor` around time `at` (keeping `at` under the pointer) and reports it.
    zoom(factor, at) {
      const t0 = at - (at - this.t0) * factor, t1 = at + (this.t1 - at) * factor;
      if (!(t1 - t0 > 1e-6)) return;
      this.setWindow(t0, t1);
      if (this.options.onView) this.options.onView(t0, t1);
    }
  }

  return { View, h, color, unitText, valueText, utcText, ticks, tickText };
})();
