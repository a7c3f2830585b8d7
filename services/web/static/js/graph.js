// An actor's neighbourhood drawn with Cytoscape.js from GET /export/graph?format=json; paths to a second actor
// are highlighted. Nodes open their actor page; edges (in the graph or the table) show their evidence.
const box = document.getElementById("graph");
const { actor, other, from, to, type } = box.dataset;
const params = new URLSearchParams({ format: "json", actor });
if (from) params.set("from", from);
if (to) params.set("to", to);
if (type) params.set("type", type);

const names = {};
const colour = (score) => (score > 0 ? "#1a7f37" : score < 0 ? "#c62828" : "#7a7a7a");

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function showEvidence(edge) {
  const panel = document.getElementById("edge-evidence");
  panel.textContent = "Loading…";
  const query = new URLSearchParams({ with: edge.target, type: edge.event_type, limit: "20" });
  if (from) query.set("from", from);
  if (to) query.set("to", to);
  const response = await fetch(`/actors/${encodeURIComponent(edge.source)}/interactions?${query}`);
  const body = await response.json();
  if (!response.ok) {
    panel.textContent = body.detail || "Could not load the evidence.";
    return;
  }
  const heading = document.createElement("h3");
  const ends = `${names[edge.source] || edge.source} ${edge.directed ? "→" : "↔"} ${names[edge.target] || edge.target}`;
  heading.textContent = `${ends}: ${edge.event_type} (${body.summary.total})`;
  const list = document.createElement("ol");
  for (const record of body.interactions.slice().reverse()) {
    const i = record.interaction;
    const item = document.createElement("li");
    const quote = document.createElement("q");
    quote.textContent = i.sentence;
    const link = document.createElement("a");
    link.href = `/ui/brief?id=${encodeURIComponent(i.brief_id)}&s=${i.sentence_index}#s${i.sentence_index}`;
    link.textContent = record.brief_title;
    item.append(`${i.date || "undated"}: `, quote, " — ", link);
    list.append(item);
  }
  const dyad = document.createElement("a");
  dyad.href = `/ui/dyad?a=${encodeURIComponent(edge.source)}&b=${encodeURIComponent(edge.target)}`;
  dyad.textContent = "Open the dyad";
  panel.replaceChildren(heading, list, dyad);
}

function fillTable(graph) {
  const body = document.querySelector("#edge-table tbody");
  body.replaceChildren();
  for (const edge of graph.edges) {
    const row = document.createElement("tr");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Evidence";
    button.setAttribute("aria-label", `Evidence: ${names[edge.source]} ${edge.event_type} ${names[edge.target]}`);
    button.addEventListener("click", () => showEvidence(edge));
    const dates = edge.first_date === edge.last_date ? edge.first_date || "undated" : `${edge.first_date} – ${edge.last_date}`;
    const last = document.createElement("td");
    last.append(button);
    row.append(
      cell(names[edge.source]),
      cell(names[edge.target]),
      cell(edge.event_type),
      cell(String(edge.count)),
      cell(edge.mean_score.toFixed(2)),
      cell(dates),
      last,
    );
    body.append(row);
  }
  if (!graph.edges.length) {
    const row = document.createElement("tr");
    const td = cell("No interactions match.");
    td.colSpan = 7;
    row.append(td);
    body.append(row);
  }
}

// The paths to the second actor, as the page lists them: their actors and steps (drawn even outside the
// neighbourhood, dashed).
function pathElements() {
  const data = JSON.parse(document.getElementById("path-data").textContent);
  const edges = new Set();
  for (const step of data.edges) {
    edges.add(`${step.source}|${step.target}|${step.event_type}`);
    edges.add(`${step.target}|${step.source}|${step.event_type}`);
  }
  return { nodes: data.nodes.map(([id]) => id), names: Object.fromEntries(data.nodes), steps: data.edges, edges };
}

async function main() {
  const response = await fetch(`/export/graph?${params}`);
  const graph = await response.json();
  if (!response.ok) {
    box.textContent = graph.detail || "Could not load the graph.";
    return;
  }
  const onPath = pathElements();
  for (const node of graph.nodes) names[node.id] = node.name;
  // path actors outside the neighbourhood are drawn too, with the path's own edges
  const missing = onPath.nodes.filter((id) => !(id in names));
  for (const id of missing) names[id] = onPath.names[id] || id;
  const drawn = new Set(graph.edges.map((e) => `${e.source}|${e.target}|${e.event_type}`));
  const extraSteps = onPath.steps.filter(
    (s) => !drawn.has(`${s.source}|${s.target}|${s.event_type}`) && !drawn.has(`${s.target}|${s.source}|${s.event_type}`),
  );
  const maxCount = Math.max(1, ...graph.edges.map((e) => e.count));
  const elements = [
    ...graph.nodes.map((n) => ({
      data: { id: n.id, label: n.name, kind: n.kind, size: 18 + Math.min(40, n.interactions * 2) },
      classes: [n.id === actor ? "center" : "", onPath.nodes.includes(n.id) ? "on-path" : ""].join(" "),
    })),
    ...missing.map((id) => ({ data: { id, label: names[id], kind: "other", size: 18 }, classes: "on-path" })),
    ...extraSteps.map((s, index) => ({
      data: { id: `path-${index}`, source: s.source, target: s.target, event_type: s.event_type, directed: true,
              colour: colour(s.score), width: 2, label: s.event_type },
      classes: "directed on-path off-neighbourhood",
    })),
    ...graph.edges.map((e) => ({
      data: {
        ...e,
        id: e.id,
        colour: colour(e.type_score),
        width: 1 + (7 * e.count) / maxCount,
        label: `${e.event_type} ×${e.count}`,
      },
      classes: [e.directed ? "directed" : "", onPath.edges.has(`${e.source}|${e.target}|${e.event_type}`) ? "on-path" : ""].join(" "),
    })),
  ];
  // eslint-disable-next-line no-undef
  const cy = cytoscape({
    container: box,
    elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)", "background-color": "#5a6e8c", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4 } },
      { selector: "node.center", style: { "background-color": "#1d3557", "border-width": 3, "border-color": "#e9c46a" } },
      { selector: "node.on-path", style: { "border-width": 3, "border-color": "#e76f51" } },
      { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)", "curve-style": "bezier", opacity: 0.75 } },
      { selector: "edge:selected, edge.hover", style: { label: "data(label)", "font-size": 10, "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85, color: "#222", opacity: 1 } },
      { selector: "edge.directed", style: { "target-arrow-shape": "triangle" } },
      { selector: "edge.off-neighbourhood", style: { "line-style": "dashed" } },
      { selector: "edge.on-path", style: { opacity: 1, "underlay-color": "#e76f51", "underlay-opacity": 0.35, "underlay-padding": 3 } },
    ],
    // the actor in the middle, its counterparts around it (busiest nearest), path actors beyond
    layout: {
      name: "concentric",
      animate: false,
      minNodeSpacing: 36,
      concentric: (node) => (node.id() === actor ? 1000 : node.degree(false) + (node.hasClass("on-path") ? 0 : 1)),
      levelWidth: () => 4,
    },
  });
  cy.on("tap", "node", (event) => {
    location.href = `/ui/actor?name=${encodeURIComponent(event.target.id())}`;
  });
  cy.on("tap", "edge", (event) => showEvidence(event.target.data()));
  cy.on("mouseover", "edge", (event) => event.target.addClass("hover"));
  cy.on("mouseout", "edge", (event) => event.target.removeClass("hover"));
  fillTable(graph);
  window.briefgraphGraph = { cy, graph };
  box.dataset.ready = "true";
}

main().catch((error) => {
  box.textContent = `Could not draw the graph: ${error}`;
});
