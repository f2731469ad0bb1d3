// The player's words come from the page, translated by Django: see the "player-strings"
// template in practice/player.html. This module only looks them up and fills {placeholders}.

export function loadStrings(doc = document) {
  const template = doc.getElementById("player-strings");
  const table = {};
  for (const element of template.content.querySelectorAll("[data-key]")) {
    table[element.dataset.key] = element.textContent.trim().replace(/\s+/g, " ");
  }
  return table;
}

export function format(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

/** A lookup function: t("left", {time: "3:05"}) -> "3:05 left". Unknown keys show themselves. */
export function translator(table) {
  return (key, values) => format(table[key] ?? key, values);
}

/** Whole seconds as minutes:seconds, e.g. 206 -> "3:26". */
export function clockText(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}
