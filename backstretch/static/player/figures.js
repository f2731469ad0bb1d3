// The routine's figures. Each is a file named by its content (/figures/..., kept by the browser
// for good and, for offline use, by the service worker), fetched when the player opens and put
// inline into its <template>, so the player can start, pause and hold its animation (a
// picture's runs on its own). A figure that cannot be fetched is left out: the session runs.

async function inline(template) {
  try {
    const response = await fetch(template.dataset.src);
    if (!response.ok) return;
    const parsed = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    const svg = parsed.documentElement;
    if (svg.localName !== "svg") return; // app.css styles it (the still pose, for less motion)
    template.content.replaceChildren(document.importNode(svg, true));
  } catch {
    // offline with nothing kept, or the server away: no figure
  }
}

export async function loadFigures(doc = document) {
  await Promise.all([...doc.querySelectorAll("template[data-figure][data-src]")].map(inline));
}
