// The playground page: one session on the server, its state over a WebSocket.
// Every control sends plain settings; the server validates them and answers with a message.
import { boundary, classColour, curves, sparkline, surface } from "./draw.js";
import { Network } from "./network.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["dataset", "noise", "test_ratio", "samples", "batch_size", "hidden", "activation",
  "head", "optimizer", "lr", "schedule", "l2", "dropout"];
const NUMBERS = new Set(["noise", "test_ratio", "samples", "batch_size", "lr", "l2", "dropout"]);

let session = null, data = null, state = null, socket = null, playing = false;
let picked = [];  // the last two weights clicked: the loss surface is drawn over them
const network = new Network($("network"), (param) => explain(param));

function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
}

function setStatus(text, kind = "") {
  const pill = $("status");
  pill.textContent = text;
  pill.className = "pill " + kind;
}

async function call(path, options = {}) {
  const response = await fetch(path, options);
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) {
    const message = (body && body.error) || `request failed (HTTP ${response.status})`;
    if (response.status === 503) setStatus("server busy", "busy");
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

const post = (path, payload) => call(path, {method: "POST",
  headers: {"content-type": "application/json"}, body: JSON.stringify(payload || {})});

// Run an action; a refused one shows its message, an expired session is replaced.
async function guard(action) {
  try {
    const out = await action();
    showError("");
    return out;
  } catch (error) {
    if (error.status === 404 && session) { await start(); return null; }
    showError(error.message);
    return null;
  }
}

function settingsFromForm() {
  const s = {};
  for (const f of FIELDS) {
    const v = $(f).value;
    s[f] = NUMBERS.has(f) ? (v.trim() === "" ? v : Number(v)) : v;
  }
  if (s.dataset === "upload") delete s.dataset;
  return s;
}

function fillForm(settings) {
  for (const f of FIELDS) {
    if (f === "hidden") $(f).value = settings.hidden.join(",");
    else $(f).value = settings[f];
  }
  $("noise-out").textContent = settings.noise;
  $("test-out").textContent = Math.round(settings.test_ratio * 100) + "%";
}

function describe(d) {
  data = d;
  picked = [];
  $("surface-button").hidden = true;
  $("surface-figure").hidden = true;
  fillForm(d.settings);
  $("dataset").querySelector("[value=upload]").disabled = !d.upload;
  const cols = $("columns");
  cols.hidden = !(d.columns && d.columns.length > 2);
  if (!cols.hidden) {
    ["feature0", "feature1"].forEach((id, k) => {
      $(id).replaceChildren(...d.columns.map((c, j) => new Option(c, j)));
      $(id).value = d.settings.features[k];
    });
  }
  const names = d.features.map((n) => n.length > 8 ? n.slice(0, 7) + "…" : n);
  network.build(d.layers, names);
  network.selected = null;
  $("classes").replaceChildren(...d.classes.map((c, k) => {
    const span = document.createElement("span");
    const dot = document.createElement("i");
    dot.style.background = classColour(k);
    span.append(dot, document.createTextNode(c));
    return span;
  }));
  const source = d.upload ? `${d.upload}: ${d.features.join(" × ")}` : d.settings.dataset;
  $("summary").textContent = `${source} · ${d.train.y.length} train / ${d.test.y.length} test · ` +
    `MLP ${d.layers.join("-")}`;
  $("download").href = `/api/session/${session}/run.zip`;
}

function formatLoss(v) {
  if (v === null) return "–";
  return v >= 0.001 || v === 0 ? v.toFixed(4) : v.toExponential(2);
}

function render(s) {
  if (!data || s.version !== data.version) return;  // a state of the network before a rebuild
  state = s;
  $("epoch").textContent = String(s.epoch);
  $("loss").textContent = formatLoss(s.train_loss);
  $("test-loss").textContent = formatLoss(s.test_loss);
  curves($("curves"), s.curves);
  boundary($("boundary"), s.boundary, data, $("show-test").checked);
  network.update(s);
  if (s.playing === false && playing && s.train_loss === null) setPlaying(false);
}

function setPlaying(on) {
  playing = on;
  $("train").setAttribute("aria-pressed", String(on));
  $("train").innerHTML = on ? "&#10074;&#10074;" : "&#9654;";
}

function connect() {
  if (socket) socket.close();
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/session/${session}/live`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => setStatus("connected");
  ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    if (msg.type === "state") render(msg);
    else if (msg.type === "expired") { setPlaying(false); setStatus("session expired", "off"); }
  };
  ws.onclose = () => { if (socket === ws) setStatus("disconnected", "off"); };
}

async function start() {
  const d = await call("/api/session", {method: "POST", headers: {"content-type": "application/json"},
    body: JSON.stringify(session ? settingsFromForm() : {})}).catch((e) => { showError(e.message); return null; });
  if (!d) return;
  session = d.id;
  setPlaying(false);
  describe(d);
  render(d.state);
  connect();
}

async function configure(changes) {
  const d = await guard(() => post(`/api/session/${session}/config`, changes));
  if (d) { setPlaying(false); describe(d); render(d.state); }
  else if (data) fillForm(data.settings);  // refused: the form shows what runs
}

async function explain(param) {
  const r = await guard(() => call(`/api/session/${session}/explain?param=${encodeURIComponent(param)}`));
  if (!r) return;
  const num = (v) => (v === null ? "NaN" : v.toPrecision(4));
  $("explain-title").textContent = `${r.param}: w = ${num(r.value)}, ∂L/∂w = ${num(r.grad)}`;
  $("explain").textContent = r.text;
  $("explain-full").textContent = r.full;
  picked = [picked[picked.length - 1], r.param].filter((p, i, all) => p && all.indexOf(p) === i);
  const button = $("surface-button");
  button.hidden = picked.length < 2;
  button.textContent = `loss surface over ${picked.join(" × ")}, with the optimizer's path`;
  $("history").replaceChildren(sparkline(`value of ${r.param}`, r.history.epoch, r.history.value, "#183d4e"),
    sparkline(`∂L/∂${r.param}`, r.history.epoch, r.history.grad, "#b3261e"));
}

$("surface-button").addEventListener("click", async () => {
  const [a, b] = picked;
  const s = await guard(() => call(`/api/session/${session}/surface?a=${encodeURIComponent(a)}` +
    `&b=${encodeURIComponent(b)}`));
  if (!s) return;
  $("surface-figure").hidden = false;
  surface($("surface"), s);
  $("surface-caption").textContent = `Training loss over ${s.a} (→, ${s.extent[0].toPrecision(3)} to ` +
    `${s.extent[1].toPrecision(3)}) and ${s.b} (↑, ${s.extent[2].toPrecision(3)} to ` +
    `${s.extent[3].toPrecision(3)}), every other weight as it is now; loss from ` +
    `${s.min.toPrecision(3)} (dark) to ${s.max.toPrecision(3)} (light, log scale). ` +
    `Orange: the path of the two weights over ${s.path.length} epochs (white dot: the start); ` +
    `red: now.`;
});
$("train").addEventListener("click", () => guard(async () => {
  const on = !playing;
  setPlaying(on);
  await post(`/api/session/${session}/${on ? "play" : "pause"}`);
}));
$("step").addEventListener("click", () => guard(async () => {
  setPlaying(false);
  render(await post(`/api/session/${session}/step`));
  if (network.selected) await explain(network.selected);
}));
$("reset").addEventListener("click", () => guard(async () => {
  setPlaying(false);
  const d = await post(`/api/session/${session}/reset`);
  describe(d); render(d.state);
}));
for (const f of FIELDS) {
  const input = $(f);
  const event = input.type === "range" ? "change" : "change";
  input.addEventListener(event, () => configure({[f]: NUMBERS.has(f) && input.value.trim() !== "" ?
    Number(input.value) : input.value}));
}
$("noise").addEventListener("input", () => { $("noise-out").textContent = $("noise").value; });
$("test_ratio").addEventListener("input", () => {
  $("test-out").textContent = Math.round($("test_ratio").value * 100) + "%";
});
for (const id of ["feature0", "feature1"]) {
  $(id).addEventListener("change", () => configure({features: [Number($("feature0").value),
    Number($("feature1").value)]}));
}
$("show-test").addEventListener("change", () => { if (state) render(state); });
$("upload").addEventListener("change", async () => {
  const file = $("upload").files[0];
  if (!file) return;
  const d = await guard(() => call(`/api/session/${session}/upload`, {method: "POST",
    headers: {"content-type": "text/csv", "x-filename": encodeURIComponent(file.name)}, body: file}));
  $("upload").value = "";
  if (d) {
    setPlaying(false); describe(d); render(d.state);
    if (d.note) showError(`note: ${d.note}`);
  }
});

start();
