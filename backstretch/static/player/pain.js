// The 0–10 pain scale: eleven buttons, nothing else can be chosen. Before the session a tap
// answers at once; after it, a tap selects (aria-pressed) and the form is saved separately.

export function isPain(value) {
  return value === null || (Number.isInteger(value) && value >= 0 && value <= 10);
}

export class PainScale {
  constructor(fieldset, { onPick = null } = {}) {
    this.value = null;
    this.buttons = [...fieldset.querySelectorAll("button[data-value]")];
    for (const button of this.buttons) {
      button.addEventListener("click", () => {
        const value = Number(button.dataset.value);
        if (!isPain(value)) return;
        this.select(value);
        onPick?.(value);
      });
    }
  }

  select(value) {
    this.value = value;
    for (const button of this.buttons) {
      if (button.hasAttribute("aria-pressed")) {
        button.setAttribute("aria-pressed", String(Number(button.dataset.value) === value));
      }
    }
  }
}
