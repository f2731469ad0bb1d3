// The session engine: which step is playing, when it ends, what happened to each step.
// No DOM here: it fires events ("step", "tick", "count", "state", "end") that main.js turns
// into words, sounds and pictures.
//
// Timing runs on absolute deadlines: a step ends at its start + seconds × 1000, and the next
// step starts at that deadline, not at whenever a timer happened to fire. A timer only looks;
// if the tab slept through several deadlines, the engine catches up at once.

import { StepClock } from "./clock.js";
import { itemRange, spliceSegment } from "./steps.js";

// Holds count down out loud over their last seconds, leaving the start for the "Hold" cue.
const COUNTED_SECONDS = 3;
const CUE_ROOM = 3;

export function countFrom(step) {
  if (step.kind !== "hold") return 0;
  return Math.max(0, Math.min(COUNTED_SECONDS, step.seconds - CUE_ROOM));
}

export class Player extends EventTarget {
  constructor(steps, { now = () => performance.now() } = {}) {
    super();
    this.played = steps;
    this.now = now;
    this.clock = new StepClock(now);
    this.index = -1;
    this.results = new Map();
    this.state = "idle"; // idle | playing | paused | ended
    this.timer = null;
    this.lastCount = null;
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  get step() {
    return this.played[this.index] ?? null;
  }

  start() {
    if (this.state !== "idle") return;
    this.state = "playing";
    this.go(0, this.now());
  }

  go(index, planned, { caughtUp = false } = {}) {
    this.index = index;
    this.clock.begin(planned, this.played[index].seconds);
    this.lastCount = null;
    if (this.state === "paused") this.state = "playing";
    this.emit("step", { index, step: this.step, planned, actual: this.now(), caughtUp });
    this.emit("state", { state: this.state });
    this.schedule();
  }

  /** Keep one result per reached step; a "hurt" is never overwritten by a later answer. */
  record(index, result, severity = null) {
    const step = this.played[index];
    if (!step || this.results.get(index)?.result === "hurt") return;
    this.results.set(index, {
      index,
      result,
      hurt_severity: result === "hurt" ? severity : null,
      kind: step.kind,
      exercise: step.exercise,
      position: step.position,
      side: step.side,
      rep: step.rep,
    });
  }

  stepResults() {
    return [...this.results.values()].sort((a, b) => a.index - b.index);
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.state !== "playing") return;
    const wait = Math.max(0, this.clock.nextWake() - this.now());
    this.timer = setTimeout(() => this.tick(), wait);
  }

  tick() {
    this.timer = null;
    if (this.state !== "playing") return;
    const now = this.now();
    const started = [];
    while (this.clock.isOver(now)) {
      const deadline = this.clock.deadline;
      this.record(this.index, "done");
      if (this.index + 1 >= this.played.length) {
        this.end(true);
        return;
      }
      started.push({ index: this.index + 1, planned: deadline });
      this.index += 1;
      this.clock.begin(deadline, this.step.seconds);
      this.lastCount = null;
    }
    // Steps the tab slept through are announced as started but not spoken; the last one is.
    started.forEach(({ index, planned }, n) => {
      const caughtUp = n < started.length - 1;
      this.emit("step", { index, step: this.played[index], planned, actual: now, caughtUp });
    });
    const seconds = this.clock.remainingSeconds(now);
    if (seconds <= countFrom(this.step) && seconds >= 1 && seconds !== this.lastCount) {
      this.lastCount = seconds;
      this.emit("count", { seconds });
    }
    this.emit("tick", { seconds });
    this.schedule();
  }

  pause() {
    if (this.state !== "playing") return;
    this.clock.pause();
    this.state = "paused";
    clearTimeout(this.timer);
    this.emit("state", { state: this.state });
  }

  resume() {
    if (this.state !== "paused") return;
    this.clock.resume();
    this.state = "playing";
    this.emit("state", { state: this.state });
    this.tick();
  }

  toggle() {
    if (this.state === "playing") this.pause();
    else this.resume();
  }

  back() {
    if (this.state === "idle" || this.state === "ended") return;
    this.go(Math.max(0, this.index - 1), this.now());
  }

  skipStep() {
    if (this.state === "idle" || this.state === "ended") return;
    this.record(this.index, "skipped");
    this.next();
  }

  /** Skip the rest of the current exercise: its remaining steps are logged as skipped. */
  skipExercise() {
    if (this.state === "idle" || this.state === "ended") return;
    const [, last] = itemRange(this.played, this.index);
    for (let i = this.index; i <= last; i += 1) this.record(i, "skipped");
    this.index = last;
    this.next();
  }

  next() {
    if (this.index + 1 >= this.played.length) this.end(true);
    else this.go(this.index + 1, this.now());
  }

  /** The current step hurt: log it (pausing is the caller's job). */
  hurt(severity) {
    this.record(this.index, "hurt", severity);
  }

  /** Swap a server-compiled segment in for the rest of the current exercise and play it. */
  replaceRest(segment, { intro = true } = {}) {
    this.played = spliceSegment(this.played, this.index, segment, { intro });
    this.next();
  }

  /** End now; the step being played counts as skipped unless it already has a result. */
  finish() {
    if (this.state === "idle" || this.state === "ended") return;
    if (!this.results.has(this.index)) this.record(this.index, "skipped");
    this.end(false);
  }

  end(completed) {
    clearTimeout(this.timer);
    this.timer = null;
    this.state = "ended";
    this.emit("state", { state: this.state });
    this.emit("end", { completed });
  }
}
