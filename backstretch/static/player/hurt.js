// "This hurts": ask how bad and whether there is new numbness, then either offer choices
// (gentler position, shorter holds, skip the exercise, carry on) or, for sharp pain or new
// numbness, show the stop guidance. Resolves with the answer, or null if closed unanswered.

export class HurtDialog {
  constructor(dialog, t) {
    this.dialog = dialog;
    this.t = t;
    this.form = dialog.querySelector('[data-panel="ask"]');
    this.panels = [...dialog.querySelectorAll("[data-panel]")];
    this.list = dialog.querySelector("#hurt-options");
    this.resolve = null;
    this.answer = null;

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(this.form);
      this.answer = { severity: data.get("severity"), numbness: data.get("numbness") === "yes" };
      this.show(this.answer.severity === "sharp" || this.answer.numbness ? "stop" : "options");
    });
    dialog.querySelector('[data-action="hurt-cancel"]').addEventListener("click", () => this.close(null));
    dialog.querySelector('[data-action="hurt-stop"]').addEventListener("click", () => this.choose({ action: "stop" }));
    dialog.querySelector('[data-action="hurt-reask"]').addEventListener("click", () => this.show("ask"));
    dialog.addEventListener("close", () => this.settle(null));
  }

  get open() {
    return this.dialog.open;
  }

  show(name) {
    for (const panel of this.panels) panel.hidden = panel.dataset.panel !== name;
    const panel = this.panels.find((p) => p.dataset.panel === name);
    const first = name === "ask" ? panel.querySelector("input") : panel.querySelector("h2");
    first?.focus();
  }

  /** choices: [{action: "gentler", position, label} | {action: "shorter", label} | ...]. */
  ask(choices) {
    this.settle(null);
    this.form.reset();
    this.answer = null;
    this.list.replaceChildren(
      ...choices.map((choice) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = `button hurt__option hurt__option--${choice.action}`;
        if (choice.action === "continue") button.classList.add("button--quiet");
        button.textContent = choice.label;
        button.dataset.choice = choice.action;
        if (choice.position) button.dataset.position = choice.position;
        button.addEventListener("click", () => this.choose(choice));
        item.append(button);
        return item;
      }),
    );
    this.dialog.showModal();
    this.show("ask");
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  choose(choice) {
    this.close({ ...this.answer, ...choice, label: undefined });
  }

  close(result) {
    this.settle(result);
    if (this.dialog.open) this.dialog.close();
  }

  settle(result) {
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.(result);
  }
}
