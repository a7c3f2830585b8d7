// Add briefs: pasted text and uploaded files become POST /briefs records; each brief's outcome is listed.
const form = document.getElementById("add-form");
const status = document.getElementById("add-status");
const table = document.getElementById("add-outcomes");

function say(text, problem = false) {
  const p = document.createElement("p");
  p.textContent = text;
  if (problem) p.className = "problem";
  status.replaceChildren(p);
}

async function recordsOf(file) {
  const text = await file.text();
  const name = file.name.toLowerCase();
  const stem = file.name.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ");
  const fields = ["title", "date", "url", "body", "description", "impact"];
  const pick = (record) => Object.fromEntries(fields.filter((f) => typeof record[f] === "string").map((f) => [f, record[f]]));
  if (name.endsWith(".jsonl")) {
    return text.split("\n").filter((line) => line.trim()).map((line) => pick(JSON.parse(line)));
  }
  if (name.endsWith(".json")) {
    const parsed = JSON.parse(text);
    return (Array.isArray(parsed) ? parsed : [parsed]).map(pick);
  }
  if (name.endsWith(".html") || name.endsWith(".htm")) {
    const doc = new DOMParser().parseFromString(text, "text/html");
    const title = doc.querySelector("h1")?.textContent?.trim() || doc.title || stem;
    return [{ title, body: doc.body?.innerText || doc.body?.textContent || "" }];
  }
  // plain text or Markdown: a '# heading' or a short first line is the title, else the file's name
  const date = file.name.match(/(\d{4}-\d{2}-\d{2})/);
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.trim());
  const heading = first >= 0 ? lines[first].trim() : "";
  const rest = lines.slice(first + 1).join("\n").trim();
  let title = stem.replace(/\d{4} \d{2} \d{2}/, "").trim();
  title = title.charAt(0).toUpperCase() + title.slice(1);
  let body = text;
  if (heading.startsWith("# ") || (rest && heading.length <= 200 && !/[.!?]$/.test(heading))) {
    title = heading.replace(/^#\s+/, "");
    body = rest;
  }
  return [{ title, body, ...(date ? { date: date[1] } : {}) }];
}

function row(outcome) {
  const tr = document.createElement("tr");
  const cells = [outcome.status, null, String(outcome.actors), String(outcome.interactions), outcome.detail || ""];
  for (const [index, value] of cells.entries()) {
    const td = document.createElement("td");
    if (index === 1) {
      if (outcome.brief_id) {
        const link = document.createElement("a");
        link.href = `/ui/brief?id=${encodeURIComponent(outcome.brief_id)}`;
        link.textContent = outcome.title || outcome.brief_id;
        td.append(link);
      } else {
        td.textContent = outcome.source;
      }
    } else {
      td.textContent = value;
    }
    tr.append(td);
  }
  tr.dataset.status = outcome.status;
  return tr;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const briefs = [];
  const body = String(data.get("body") || "").trim();
  if (body) {
    const brief = { body };
    for (const field of ["title", "date"]) {
      const value = String(data.get(field) || "").trim();
      if (value) brief[field] = value;
    }
    briefs.push(brief);
  }
  try {
    for (const file of form.querySelector("#files").files) briefs.push(...(await recordsOf(file)));
  } catch (error) {
    say(`A file could not be read: ${error}`, true);
    return;
  }
  if (!briefs.length) {
    say("Paste a brief's text or choose files first.", true);
    return;
  }
  const headers = { "Content-Type": "application/json" };
  const key = form.querySelector("#key");
  if (key && key.value) headers["X-API-Key"] = key.value;
  say(`Sending ${briefs.length} brief${briefs.length === 1 ? "" : "s"}…`);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch("/briefs", { method: "POST", headers, body: JSON.stringify({ briefs }) });
    const report = await response.json();
    const outcomes = report.outcomes || [];
    table.tBodies[0].replaceChildren(...outcomes.map(row));
    table.hidden = outcomes.length === 0;
    if (response.ok) {
      const counts = {};
      for (const o of outcomes) counts[o.status] = (counts[o.status] || 0) + 1;
      say(`Done: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ")}.`);
    } else {
      say(`${report.title || "Error"}: ${report.detail || response.statusText}`, true);
    }
  } catch (error) {
    say(`The request failed: ${error}`, true);
  } finally {
    button.disabled = false;
  }
});
