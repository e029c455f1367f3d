// The network as SVG: neurons with their output thumbnails, edges by weight.
// The structure is built once per architecture; updates only restyle it, so a click
// never lands on an element that is being replaced.
import { CLASS_COLOURS, el, thumbnail } from "./draw.js";

const NEG = "#f59322", POS = "#0877bd";

export class Network {
  constructor(svg, onPick) {
    this.svg = svg; this.onPick = onPick; this.edges = []; this.nodes = []; this.biases = [];
    this.selected = null;
  }

  build(sizes, names) {
    const svg = this.svg;
    svg.replaceChildren();
    this.edges = []; this.nodes = []; this.biases = [];
    const W = Math.max(420, svg.clientWidth || 520), most = Math.max(...sizes);
    const node = Math.max(14, Math.min(38, Math.floor(430 / most) - 8)), gap = node + 8;
    const H = Math.max(220, most * gap + 40);
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.setAttribute("height", H);
    const colX = (l) => 62 + l * (W - 96 - node) / (sizes.length - 1);
    const rowY = (l, i) => (H - sizes[l] * gap) / 2 + i * gap + 4;
    const edges = el("g", {}, svg), nodes = el("g", {}, svg);
    for (let l = 0; l < sizes.length; l++) {
      const layer = [];
      for (let i = 0; i < sizes[l]; i++) {
        const x = colX(l), y = rowY(l, i);
        const g = el("g", {class: "node", transform: `translate(${x},${y})`}, nodes);
        el("rect", {width: node, height: node, rx: 2}, g);
        const img = el("image", {width: node - 2, height: node - 2, x: 1, y: 1,
                                 preserveAspectRatio: "none"}, g);
        layer.push({x, y, img});
        if (l === 0) el("text", {x: -4, y: node / 2 + 3, "text-anchor": "end"}, g).textContent = names[i];
        if (l > 0) {
          const param = `${l === sizes.length - 1 ? "output" : "hidden" + (l - 1)}.bias[${i}]`;
          const b = el("circle", {class: "bias", cx: 0, cy: node, r: 3.5, fill: "#999",
                                  "data-testid": "bias", "data-param": param}, g);
          el("title", {}, b).textContent = param;
          b.addEventListener("click", () => this.pick(param, b));
          this.biases.push({el: b, l: l - 1, i});
        }
      }
      this.nodes.push(layer);
    }
    for (let l = 1; l < sizes.length; l++) {
      const name = l === sizes.length - 1 ? "output" : `hidden${l - 1}`;
      for (let i = 0; i < sizes[l]; i++) {
        for (let j = 0; j < sizes[l - 1]; j++) {
          const a = this.nodes[l - 1][j], b = this.nodes[l][i];
          const x1 = a.x + node, y1 = a.y + node / 2, x2 = b.x, y2 = b.y + node / 2, mx = (x1 + x2) / 2;
          const d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
          const param = `${name}.weight[${i},${j}]`;
          const g = el("g", {class: "weight", "data-testid": "weight", "data-param": param}, edges);
          const line = el("path", {class: "edge", d}, g);
          el("path", {class: "hit", d}, g);
          el("title", {}, g).textContent = param;
          g.addEventListener("click", () => this.pick(param, g));
          this.edges.push({g, line, l: l - 1, i, j});
        }
      }
    }
  }

  pick(param, element) {
    this.svg.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
    element.classList.add("selected");
    this.selected = param;
    this.onPick(param);
  }

  update(state) {
    let most = 1e-9;
    for (const w of state.weights) for (const row of w.weight) for (const v of row) most = Math.max(most, Math.abs(v));
    for (const e of this.edges) {
      const w = state.weights[e.l], row = w && w.weight[e.i];
      if (!row) return;  // not this architecture
      const v = row[e.j], t = Math.abs(v) / most;
      e.line.setAttribute("stroke", v < 0 ? NEG : POS);
      e.line.setAttribute("stroke-width", (0.4 + 5 * t).toFixed(2));
      e.line.setAttribute("stroke-opacity", (0.25 + 0.75 * t).toFixed(2));
    }
    for (const b of this.biases) {
      const v = state.weights[b.l].bias[b.i];
      b.el.setAttribute("fill", v < 0 ? NEG : POS);
    }
    const size = state.neurons.size, last = state.neurons.layers.length - 1;
    state.neurons.layers.forEach((layer, l) => layer.forEach((b64, i) => {
      const n = this.nodes[l] && this.nodes[l][i];
      // softmax outputs: p(class i) in that class's colour; one sigmoid output: p(class 1)
      // on the orange-blue scale, as the classes' colours
      const colour = l === last && layer.length > 1 ? CLASS_COLOURS[i % CLASS_COLOURS.length] : null;
      if (n) n.img.setAttribute("href", thumbnail(b64, size, colour));
    }));
  }
}
