// The routine's figures. Each is a file named by its content (/figures/..., kept by the browser
// for good and, for offline use, by the service worker), fetched and put inline into its
// <template>, so the player can start, pause and hold its animation (a picture's runs on its
// own). The figures the routine plays are fetched when the player opens; one it may switch to
// (the bed instead of the floor, after "this hurts") when first shown. A figure that cannot be
// fetched is left out: the session runs.

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

const loading = new Map();

/** The figure of a <template data-figure data-src> put in (once, however often asked). */
export function loadFigure(template) {
  if (!loading.has(template)) loading.set(template, inline(template));
  return loading.get(template);
}

/** Every figure of ``steps`` ("exercise:position" keys), fetched at once. */
export async function loadFigures(steps, doc = document) {
  const keys = new Set(steps.filter((s) => s.exercise).map((s) => `${s.exercise}:${s.position}`));
  const templates = [...doc.querySelectorAll("template[data-figure][data-src]")];
  await Promise.all(templates.filter((t) => keys.has(t.dataset.figure)).map(loadFigure));
}
