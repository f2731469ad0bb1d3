// One step's clock on absolute deadlines (see DESIGN.md): a step that starts at `start` ends at
// start + seconds × 1000 on performance.now(), however late or throttled the timers that look
// at it are. Pausing moves the start and the deadline on by the time spent paused.

export class StepClock {
  constructor(now = () => performance.now()) {
    this.now = now;
    this.start = 0;
    this.deadline = 0;
    this.pausedAt = null;
  }

  begin(start, seconds) {
    this.start = start;
    this.deadline = start + seconds * 1000;
    this.pausedAt = null;
  }

  get paused() {
    return this.pausedAt !== null;
  }

  pause() {
    if (this.pausedAt === null) this.pausedAt = this.now();
  }

  /** Carry on; returns how long the clock was paused (ms). */
  resume() {
    if (this.pausedAt === null) return 0;
    const gap = this.now() - this.pausedAt;
    this.start += gap;
    this.deadline += gap;
    this.pausedAt = null;
    return gap;
  }

  remainingMs(at = this.now()) {
    return Math.max(0, this.deadline - (this.pausedAt ?? at));
  }

  /** Whole seconds left as a countdown shows them: 4.2 s left reads "5". */
  remainingSeconds(at = this.now()) {
    return Math.ceil(this.remainingMs(at) / 1000);
  }

  isOver(at = this.now()) {
    return this.pausedAt === null && at >= this.deadline;
  }

  /** When the shown countdown next changes (or the step ends): the next time to look. */
  nextWake(at = this.now()) {
    const seconds = this.remainingSeconds(at);
    if (seconds <= 1) return this.deadline;
    return this.deadline - (seconds - 1) * 1000;
  }
}
