// What the player screen shows for the step being played: names, counters, the figure,
// the countdown, what comes next and how much is left.

import { loadFigure } from "./figures.js";
import { clockText } from "./strings.js";
import { holdAtOrAfter, repetitionsOf, secondsAfter, sideFor } from "./steps.js";

// The drawn figure's own animation: it moves into the pose over its first seconds, then
// holds. During a hold it plays once into the pose and stays there.
const INTO_POSE_MS = 2600;

export class PlayerView {
  constructor(root, t, names, sides = {}) {
    this.t = t;
    this.names = names;
    this.sides = sides; // "slug:position" -> { left: "Left leg behind", right: ... }, as spoken
    this.el = {};
    for (const id of ["where", "name", "counter", "figure", "kind", "count", "cue", "paused",
      "next", "bar", "left", "live"]) {
      this.el[id] = root.querySelector(`#play-${id}`);
    }
    this.figureKey = null;
    this.freeze = null;
  }

  counterText(played, index) {
    const hold = holdAtOrAfter(played, index);
    if (hold < 0) return "";
    const { side, rep } = played[hold];
    const count = repetitionsOf(played, hold);
    if (side) return this.t("counter.sided", { side: this.sideName(played[hold], side), rep, count });
    return this.t("counter.plain", { rep, count });
  }

  /** A side as the voice names it for that exercise and position ("Left leg behind"). */
  sideName(step, side) {
    return this.sides[`${step.exercise}:${step.position}`]?.[side] ?? this.t(`side.${side}`);
  }

  preview(played, index) {
    const step = played[index + 1];
    if (!step) return this.t("preview.end");
    if (step.kind === "done") return this.t("preview.end");
    if (step.kind === "hold" || step.kind === "move_in") {
      return this.t("preview.hold", { counter: this.counterText(played, index + 1) });
    }
    if (step.kind === "next" || step.kind === "intro") {
      return this.t("preview.exercise", {
        name: this.names[step.exercise] ?? step.exercise,
        position: this.t(`position.${step.position}`),
      });
    }
    return this.t(`kind.${step.kind}`);
  }

  showStep(played, index) {
    const step = played[index];
    const el = this.el;
    if (step.exercise) {
      el.name.textContent = this.names[step.exercise] ?? step.exercise;
      el.where.textContent = this.t(`position.${step.position}`);
    }
    el.counter.textContent = step.kind === "next" || step.kind === "done" ? "" : this.counterText(played, index);
    el.kind.textContent = this.t(`kind.${step.kind}`);
    el.kind.dataset.kind = step.kind;
    el.cue.textContent = step.cue;
    el.next.textContent = this.preview(played, index);
    el.figure.closest(".player-play")?.setAttribute("data-kind", step.kind);
    if (step.exercise) this.showFigure(step, sideFor(played, index));
  }

  showFigure(step, side) {
    const key = `${step.exercise}:${step.position}`;
    const frame = this.el.figure;
    if (key !== this.figureKey) {
      const template = document.querySelector(`template[data-figure="${CSS.escape(key)}"]`);
      frame.replaceChildren();
      this.figureKey = key;
      frame.dataset.figure = key;
      if (template?.content.firstElementChild) {
        this.place(template);
      } else if (template?.dataset.src) {
        // Not fetched with the routine (a position switched to): in as soon as it comes.
        loadFigure(template).then(() => {
          if (this.figureKey !== key || frame.querySelector("svg")) return;
          this.place(template);
          this.animate(this.lastKind);
        });
      }
    }
    frame.dataset.side = side;
    frame.setAttribute("aria-label", this.t("figure", {
      name: this.names[step.exercise] ?? step.exercise,
      position: this.t(`position.${step.position}`),
    }) + (step.kind === "hold" && side ? ` · ${this.sideName(step, side)}` : ""));
    this.animate(step.kind);
  }

  place(template) {
    const svg = template.content.firstElementChild?.cloneNode(true);
    if (!svg) return;
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    this.el.figure.append(svg);
  }

  /** Demonstrate the movement while it is introduced (and all through a timed activity); move
   *  into the pose during a move-in and stay there through the hold; rest at the starting pose
   *  otherwise. */
  animate(kind) {
    const svg = this.el.figure.querySelector("svg");
    const after = this.lastKind;
    this.lastKind = kind;
    if (!svg || typeof svg.pauseAnimations !== "function") return;
    if (kind === "hold" && after === "move_in") return; // already moving into, or in, the pose
    clearTimeout(this.freeze);
    if (kind === "intro" || kind === "next" || kind === "activity") {
      svg.setCurrentTime(0);
      svg.unpauseAnimations();
    } else if (kind === "hold" || kind === "move_in") {
      svg.setCurrentTime(0);
      svg.unpauseAnimations();
      this.freeze = setTimeout(() => svg.pauseAnimations(), INTO_POSE_MS);
    } else {
      svg.pauseAnimations();
      svg.setCurrentTime(0);
    }
  }

  showTime(played, index, seconds) {
    const left = seconds + secondsAfter(played, index);
    let total = 0;
    for (const step of played) total += step.seconds;
    this.el.count.textContent = String(seconds);
    this.el.left.textContent = this.t("left", { time: clockText(left) });
    const done = total > 0 ? Math.min(1, Math.max(0, 1 - left / total)) : 0;
    this.el.bar.style.inlineSize = `${(done * 100).toFixed(2)}%`;
  }

  showPaused(paused) {
    const svg = this.el.figure.querySelector("svg");
    if (paused && typeof svg?.pauseAnimations === "function") {
      clearTimeout(this.freeze);
      svg.pauseAnimations();
    }
    this.el.paused.hidden = !paused;
    this.el.figure.closest(".player-play")?.classList.toggle("is-paused", paused);
  }

  /** Say `text` to screen readers (the live region); the same text twice is still read. */
  announce(text) {
    const live = this.el.live;
    // Alternate a trailing no-break space so an identical cue ("Release") is a new text.
    this.flip = !this.flip;
    live.textContent = this.flip ? text : `${text}\u00a0`;
  }
}
