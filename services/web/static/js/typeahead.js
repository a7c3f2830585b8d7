// Actor typeahead: inputs marked data-typeahead suggest actors from GET /actors?q= through their <datalist>.
const cache = new Map();

async function suggest(input) {
  const text = input.value.trim();
  const list = document.getElementById(input.getAttribute("list"));
  if (!list || text.length < 2) return;
  if (!cache.has(text)) {
    const response = await fetch(`/actors?q=${encodeURIComponent(text)}&limit=12`);
    cache.set(text, response.ok ? await response.json() : []);
  }
  list.replaceChildren(
    ...cache.get(text).map((actor) => {
      const option = document.createElement("option");
      option.value = actor.id;
      option.label = `${actor.name} (${actor.kind.replace("_", " ")}, ${actor.mention_count} mentions)`;
      return option;
    }),
  );
}

for (const input of document.querySelectorAll("input[data-typeahead]")) {
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => suggest(input).catch(() => {}), 150);
  });
}
