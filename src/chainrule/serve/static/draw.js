// Drawing: the decision boundary, neuron thumbnails, loss curves and history sparklines.
// Images arrive as base64 bytes: byte b stands for the value 2*b/255 - 1 in [-1, 1].

export const CLASS_COLOURS = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [142, 68, 173],
  [214, 39, 40], [23, 190, 207], [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34]];
const NEG = [245, 147, 34], POS = [8, 119, 189];
const SVG = "http://www.w3.org/2000/svg";

export function bytes(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function rgb(c, a = 1) { return `rgba(${c[0]},${c[1]},${c[2]},${a})`; }
export function classColour(k, a = 1) { return rgb(CLASS_COLOURS[k % CLASS_COLOURS.length], a); }

// A diverging colour for v in [-1, 1]: orange (negative), white, blue (positive).
function diverging(v, out, i) {
  const c = v < 0 ? NEG : POS, t = Math.min(1, Math.abs(v));
  out[i] = 255 + (c[0] - 255) * t; out[i + 1] = 255 + (c[1] - 255) * t;
  out[i + 2] = 255 + (c[2] - 255) * t; out[i + 3] = 255;
}

const scratch = document.createElement("canvas");

// A neuron's output over the plane as a data URL (size x size pixels); with a class
// colour, a probability from white (0) to that colour (1).
export function thumbnail(b64, size, colour = null) {
  const v = bytes(b64);
  scratch.width = size; scratch.height = size;
  const ctx = scratch.getContext("2d"), img = ctx.createImageData(size, size);
  for (let i = 0; i < v.length; i++) {
    if (!colour) { diverging(v[i] * 2 / 255 - 1, img.data, 4 * i); continue; }
    const t = v[i] / 255;
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = 255 + (colour[k] - 255) * t;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return scratch.toDataURL();
}

// The boundary: each pixel mixes the class colours by probability, paler where unsure.
export function boundary(canvas, b, data, showTest) {
  const n = b.size, C = b.classes, p = bytes(b.probs);
  const small = document.createElement("canvas");
  small.width = n; small.height = n;
  const sctx = small.getContext("2d"), img = sctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    let r = 0, g = 0, bl = 0, best = 0;
    for (let k = 0; k < C; k++) {
      const pk = p[i * C + k] / 255, c = CLASS_COLOURS[k % CLASS_COLOURS.length];
      r += pk * c[0]; g += pk * c[1]; bl += pk * c[2]; best = Math.max(best, pk);
    }
    const sure = C > 1 ? (best - 1 / C) / (1 - 1 / C) : 1, t = 0.15 + 0.55 * sure;
    img.data[4 * i] = 255 + (r - 255) * t; img.data[4 * i + 1] = 255 + (g - 255) * t;
    img.data[4 * i + 2] = 255 + (bl - 255) * t; img.data[4 * i + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, W, H);
  ctx.drawImage(small, 0, 0, W, H);
  if (!data) return;
  const [x0, x1, y0, y1] = data.extent;
  const px = (x) => (x - x0) / (x1 - x0) * W, py = (y) => (y1 - y) / (y1 - y0) * H;
  const dots = (part, stroke) => {
    for (let i = 0; i < part.y.length; i++) {
      ctx.beginPath();
      ctx.arc(px(part.x[i][0]), py(part.x[i][1]), 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = classColour(part.y[i]);
      ctx.fill(); ctx.lineWidth = 1; ctx.strokeStyle = stroke; ctx.stroke();
    }
  };
  dots(data.train, "#fff");
  if (showTest) dots(data.test, "#000");
}

function path(values, x, y) {
  let d = "", pen = "M";
  values.forEach((v, i) => {
    if (v === null || !isFinite(v)) { pen = "M"; return; }
    d += `${pen}${x(i).toFixed(1)},${y(v).toFixed(1)} `; pen = "L";
  });
  return d;
}

// Training and test loss against epochs (y from 0 to the largest loss seen).
export function curves(svg, c) {
  svg.replaceChildren();
  const W = 360, H = 90, n = c.train.length;
  if (n < 1) return;
  const all = c.train.concat(c.test).filter((v) => v !== null && isFinite(v));
  const top = Math.max(1e-9, ...all) * 1.05;
  const x = (i) => n > 1 ? 4 + i / (n - 1) * (W - 8) : W / 2, y = (v) => H - 4 - v / top * (H - 8);
  el("path", {d: path(c.test, x, y), stroke: "#f59322", "stroke-width": 1.5, fill: "none",
              "vector-effect": "non-scaling-stroke"}, svg);
  el("path", {d: path(c.train, x, y), stroke: "#183d4e", "stroke-width": 1.5, fill: "none",
              "vector-effect": "non-scaling-stroke"}, svg);
}

// A small line chart of a history, with its zero line and last value.
export function sparkline(title, xs, values, colour) {
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  const last = values.length ? values[values.length - 1] : NaN;
  cap.textContent = `${title} (last ${Number(last).toPrecision(4)}) over epochs`;
  const svg = el("svg", {viewBox: "0 0 300 60", preserveAspectRatio: "none"});
  const lo = Math.min(0, ...values), hi = Math.max(0, ...values), span = hi - lo || 1;
  const n = values.length;
  const x = (i) => n > 1 ? 3 + i / (n - 1) * 294 : 150, y = (v) => 57 - (v - lo) / span * 54;
  el("line", {x1: 0, x2: 300, y1: y(0), y2: y(0), stroke: "#ccc"}, svg);
  el("path", {d: path(values, x, y), stroke: colour, "stroke-width": 1.5, fill: "none",
              "vector-effect": "non-scaling-stroke"}, svg);
  fig.append(cap, svg);
  return fig;
}

// The loss over two weights (log scale, dark = low) with the optimizer's path and where it is now.
export function surface(canvas, s) {
  const n = s.size, ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  const small = document.createElement("canvas");
  small.width = n; small.height = n;
  const sctx = small.getContext("2d"), img = sctx.createImageData(n, n);
  const lo = Math.log(Math.max(s.min, 1e-12)), hi = Math.log(Math.max(s.max, 1e-12)), span = hi - lo || 1;
  const dark = [24, 61, 78], light = [255, 246, 214];
  s.loss.forEach((v, i) => {
    const t = v === null ? 1 : (Math.log(Math.max(v, 1e-12)) - lo) / span;
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = dark[k] + (light[k] - dark[k]) * Math.sqrt(t);
    img.data[4 * i + 3] = 255;
  });
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, W, H);
  const [x0, x1, y0, y1] = s.extent;
  const px = (x) => (x - x0) / (x1 - x0) * W, py = (y) => (y1 - y) / (y1 - y0) * H;
  ctx.beginPath();
  s.path.forEach(([a, b], i) => (i ? ctx.lineTo(px(a), py(b)) : ctx.moveTo(px(a), py(b))));
  ctx.strokeStyle = "#f59322"; ctx.lineWidth = 2; ctx.stroke();
  if (s.path.length) {
    ctx.beginPath(); ctx.arc(px(s.path[0][0]), py(s.path[0][1]), 4, 0, 2 * Math.PI);
    ctx.fillStyle = "#fff"; ctx.fill();
  }
  ctx.beginPath(); ctx.arc(px(s.current[0]), py(s.current[1]), 5, 0, 2 * Math.PI);
  ctx.fillStyle = "#b3261e"; ctx.fill(); ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.5; ctx.stroke();
}
