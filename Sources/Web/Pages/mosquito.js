// Shared by the pages: the bearer token lives in this browser's localStorage and goes in a header. Saving it also
// trades it for an HttpOnly cookie that only lets the server-rendered ledger pages be read (writes need the header).
const Mosquito = {
  token() { return localStorage.getItem("mosquito-token") || ""; },
  async setToken(t) {
    localStorage.setItem("mosquito-token", t.trim());
    if (!this.token()) { await fetch("/api/session", { method: "DELETE" }); return "cleared"; }
    const who = await this.api("POST", "/api/session");
    return "saved: " + who.agent + " (" + who.role + ")";
  },
  async api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (this.token()) headers["Authorization"] = "Bearer " + this.token();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const data = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error((data && data.message) || r.statusText);
    return data;
  },
  tokenBox(el) {
    el.innerHTML = 'token <input id="token" type="password" placeholder="mq_… (needed to start, stop, record, log)"> <button id="save-token">save</button> <span id="token-status"></span>';
    el.querySelector("#token").value = this.token();
    const status = el.querySelector("#token-status");
    el.querySelector("#save-token").onclick = () =>
      this.setToken(el.querySelector("#token").value).then(s => { status.textContent = s; }, e => { status.textContent = e.message; });
  },
  // value = c0 + c1·r + c2·r² + c3·r³; identity when the instrument gave no calibration.
  calibrate(cal, r) {
    if (!cal) return r;
    const c = cal.coefficients;
    return c[0] + r * (c[1] + r * (c[2] + r * c[3]));
  },
  // Parses one binary sample message (layout documented in SampleFrameLayout.swift and the README).
  parseSamples(buf) {
    const v = new DataView(buf);
    if (v.getUint8(0) !== 77 || v.getUint8(1) !== 81 || v.getUint8(2) !== 83 || v.getUint8(3) !== 49) return null;
    const channels = v.getUint16(4, true), frames = v.getUint32(8, true);
    const missed = Number(v.getBigUint64(16, true));
    const size = 16 + 4 * channels, out = { channels, frames, missed, indices: new Float64Array(frames), values: new Int32Array(frames * channels) };
    for (let f = 0; f < frames; f++) {
      const at = 24 + f * size;
      out.indices[f] = Number(v.getBigUint64(at, true));
      for (let c = 0; c < channels; c++) out.values[f * channels + c] = v.getInt32(at + 16 + 4 * c, true);
    }
    return out;
  },
};
