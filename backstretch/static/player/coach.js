// The camera coach in the player (issue 18): opt-in, off by default. When the patient turns it
// on, camera.js runs the pose model on this device and hands each frame's body points here; the
// evaluator (coach-evaluator.js) judges them against the rules of the exercise being played.
// This module then:
//   - shows what the camera sees (a small mirrored preview and one line of words);
//   - holds a hold's timer until the camera sees the patient in position (unless their
//     clinician switched that off, or the patient presses Resume), and pauses it when nobody
//     is seen;
//   - says one short correction at a time (the evaluator spaces them);
//   - keeps, per hold it watched, the seconds in position and whether the hold counted, for
//     the saved session (a summary only: no picture and no angle leaves the phone).
//
// Page data (practice/player.py): { landmarks, rules: {"slug:position:side": rules}, waits }.

// Landmarks the whole-body check looks for, per side (BlazePose order).
const BODY_SIDES = [
  [11, 23, 25, 27], // left shoulder, hip, knee, ankle
  [12, 24, 26, 28], // right
];
const SEEN = 0.5; // visibility from which a landmark counts as seen
const IN_POSITION = new Set(["holding", "rep_done"]);
const NOBODY = new Set(["no_person", "not_seen"]);
const BODY_CUES = { none: "step-into-view", part: "show-whole-body" };
// A frame gap longer than this adds no time in position (the tab slept, the model stalled).
const MAX_FRAME_GAP = 0.5;

/** "whole", "part" or "none": how much of a body the frame shows (before a session starts). */
export function bodySeen(pose) {
  if (!pose) return "none";
  const image = pose.image;
  const seen = (i) => (image[i]?.[3] ?? 0) >= SEEN;
  if (BODY_SIDES.some((side) => side.every(seen))) return "whole";
  return "part";
}

export function coachKey(step) {
  return `${step.exercise}:${step.position}:${step.side ?? "left"}`;
}

export class CameraCoach {
  constructor(root, t, data, { engine, say }) {
    this.root = root;
    this.t = t;
    this.engine = engine;
    this.say = say;
    this.waits = data.waits !== false;
    this.rules = {};
    for (const [key, rules] of Object.entries(data.rules ?? {})) {
      this.rules[key] = { ...rules, landmarks: data.landmarks };
    }
    this.camera = null; // camera.js's handle while the camera is on
    this.on = false;
    this.key = null; // rules followed now ("slug:position:side"), or null
    this.judge = null; // the evaluator for this.key
    this.createCoach = null; // coach-evaluator.js's, loaded with the camera
    this.last = null; // the evaluator's last output
    this.stepIndex = -1;
    this.step = null;
    this.pausedByCoach = false;
    this.overridden = -1; // a step the patient resumed by hand: not held back again
    this.toldToWait = -1; // the last step whose wait was announced
    this.watched = new Map(); // step index -> { seconds, rep }
    this.lastFrame = null;
    this.el = {
      optin: root.querySelector("#coach-optin"),
      check: root.querySelector("#coach-check"),
      checkStatus: root.querySelector("#coach-check-status"),
      checkPhone: root.querySelector("#coach-check-phone"),
      video: root.querySelector("#coach-video"),
      error: root.querySelector("#coach-error"),
      panel: root.querySelector("#play-coach"),
      panelFrame: root.querySelector("#play-coach-frame"),
      status: root.querySelector("#play-coach-status"),
      phone: root.querySelector("#play-coach-phone"),
    };
    this.root.dataset.camera = "off";
    if (!this.available) return;
    this.el.optin.hidden = false;
    for (const button of root.querySelectorAll("[data-camera-button]")) button.hidden = false;
    // Where to put the phone for the first exercise it coaches (each has its own words).
    this.el.checkPhone.textContent = Object.values(this.rules)[0]?.phone ?? "";
  }

  get available() {
    return Object.keys(this.rules).length > 0 && Boolean(navigator.mediaDevices?.getUserMedia);
  }

  // ---- on and off ----------------------------------------------------------------------------

  async turnOn() {
    if (this.on || this.starting) return;
    this.starting = true;
    this.el.error.hidden = true;
    this.showCheck(this.t("coach.loading"), "loading");
    this.root.dataset.camera = "loading";
    try {
      // Loaded only now: the runtime and model (about 8 MB) never load for those who do not
      // use the camera.
      const [{ watch }, { createCoach }] = await Promise.all([
        import("./camera.js"),
        import("./coach-evaluator.js"),
      ]);
      this.createCoach = createCoach;
      this.camera = await watch(this.el.video, (frame) => this.frame(frame));
      this.on = true;
      this.root.dataset.camera = "on";
      if (this.playing) {
        this.el.panel.hidden = false;
        if (this.step) this.follow(this.stepIndex, this.step);
      }
    } catch (error) {
      this.root.dataset.camera = "off";
      this.el.check.hidden = true;
      const words = this.t(this.errorKey(error));
      if (this.playing) {
        this.el.panel.hidden = false; // said where the patient looks now
        this.show(words, "error");
        this.say(words);
      } else {
        this.el.error.textContent = words;
        this.el.error.hidden = false;
      }
    } finally {
      this.starting = false;
    }
  }

  errorKey(error) {
    if (error?.name === "NotAllowedError" || error?.name === "SecurityError") return "coach.error.refused";
    if (error?.name === "NotFoundError" || error?.name === "OverconstrainedError") return "coach.error.none";
    return "coach.error.failed";
  }

  turnOff() {
    if (!this.camera) return;
    this.camera.stop();
    this.camera = null;
    this.on = false;
    this.root.dataset.camera = "off";
    this.el.check.hidden = true;
    this.el.panel.hidden = true;
    if (this.pausedByCoach) {
      this.release(); // the timer no longer waits for a camera that is off
      if (this.engine.state === "paused") this.engine.resume();
    }
  }

  showCheck(text, state) {
    this.el.check.hidden = false;
    this.el.checkStatus.textContent = text;
    this.el.checkStatus.dataset.body = state;
  }

  get playing() {
    return this.root.dataset.state === "play";
  }

  /** The session starts: the preview moves from the first screen into the player's panel. */
  start() {
    if (this.el.video) this.el.panelFrame.append(this.el.video);
    if (!this.on) return;
    this.el.panel.hidden = false;
    this.el.video.play().catch(() => {}); // moving an element pauses it in some browsers
  }

  // ---- the engine's steps ----------------------------------------------------------------------

  /** A step starts: follow its exercise's rules, if it has any. Each repetition is judged
   *  afresh from its move into position (or from its hold, when no move comes first). */
  follow(index, step) {
    const before = this.step;
    this.stepIndex = index;
    this.step = step;
    if (this.pausedByCoach) this.release();
    const key = step.exercise ? coachKey(step) : null;
    const rules = key ? this.rules[key] : null;
    this.key = rules ? key : null;
    const fresh = step.kind === "move_in" || (step.kind === "hold" && (before?.kind !== "move_in" || this.judge === null));
    if (!rules || !this.createCoach) {
      this.judge = null;
    } else if (fresh || this.judge === null) {
      this.judge = this.createCoach(rules);
      this.last = null;
      this.repSeen = false;
    }
    if (!this.on || !this.playing) return;
    this.el.phone.textContent = rules?.phone ?? "";
    if (!rules) {
      this.show(this.t("coach.not_here"), "idle");
      return;
    }
    if (step.kind === "intro" && rules.phone) this.say(rules.phone);
    if (step.kind === "hold") {
      this.watched.set(index, { seconds: 0, rep: this.repSeen });
      this.gate();
    }
  }

  /** Whether the camera judges the position now: while moving into it and holding it. */
  get watching() {
    return this.on && this.judge !== null && (this.step?.kind === "hold" || this.step?.kind === "move_in");
  }

  // ---- frames --------------------------------------------------------------------------------

  frame({ t, pose }) {
    const previous = this.lastFrame;
    this.lastFrame = t;
    if (this.root.dataset.state === "before") {
      const body = bodySeen(pose);
      this.showCheck(this.t(`coach.body.${body}`), body);
      return;
    }
    if (!this.key || !this.playing) return;
    if (!this.watching) {
      // Between holds: only whether the patient is in view.
      const body = bodySeen(pose);
      this.show(this.t(body === "whole" ? "coach.body.seen" : `coach.cue.${BODY_CUES[body]}`), `body-${body}`);
      return;
    }
    const out = this.judge.push(pose ? { t, image: pose.image, world: pose.world } : { t });
    if (out.ignored) return;
    this.last = out;
    this.show(this.stateText(out), out.state);
    if (out.state === "rep_done") this.repSeen = true;
    const watched = this.watched.get(this.stepIndex);
    if (watched && this.step?.kind === "hold" && this.engine.state === "playing") {
      if (IN_POSITION.has(out.state) && previous !== null) {
        watched.seconds += Math.min(MAX_FRAME_GAP, Math.max(0, (t - previous) / 1000));
      }
      if (out.state === "rep_done") watched.rep = true;
    }
    if (out.cue && this.watching) this.say(this.t(`coach.cue.${out.cue.key}`));
    if (this.step?.kind === "hold") this.gate();
  }

  stateText(out) {
    if (IN_POSITION.has(out.state)) return this.t("coach.state.holding");
    if (out.state === "no_person") return this.t("coach.cue.step-into-view");
    if (out.state === "not_seen") return this.t("coach.cue.show-whole-body");
    if (out.message) return this.t(`coach.cue.${out.message}`);
    return this.t("coach.state.entering");
  }

  show(text, state) {
    this.el.status.textContent = text;
    this.el.panel.dataset.coachState = state;
  }

  // ---- holding the timer -----------------------------------------------------------------------

  /** Pause the hold while the patient is not (yet) in position, or not seen; go on once they are. */
  gate() {
    if (!this.on || !this.judge || this.step?.kind !== "hold" || this.overridden === this.stepIndex) return;
    if (!this.last) return; // not judged yet: the next frame decides
    const state = this.last.state;
    const hold = this.waits ? !IN_POSITION.has(state) : NOBODY.has(state);
    if (hold && this.engine.state === "playing") {
      this.pausedByCoach = true; // before pausing: the screen says why it waits
      this.root.dataset.coachWaiting = "true";
      this.engine.pause();
      if (this.toldToWait !== this.stepIndex) this.say(this.t("coach.waiting")); // once a hold
      this.toldToWait = this.stepIndex;
    } else if (!hold && this.pausedByCoach) {
      this.release();
      if (this.engine.state === "paused") {
        this.engine.resume();
        this.say(this.t("coach.go"));
      }
    }
  }

  release() {
    this.pausedByCoach = false;
    delete this.root.dataset.coachWaiting;
  }

  /** The patient pressed "Start now" (the main button, or the space bar) while the coach held
   *  the timer: this hold is theirs to time; the coach will not hold it back again. */
  overrideHold() {
    if (!this.pausedByCoach) return false;
    this.overridden = this.stepIndex;
    this.release();
    return true;
  }

  /** What the camera saw, for each hold it watched: merged into the saved step results. */
  summarize(results) {
    return results.map((result) => {
      const watched = this.watched.get(result.index);
      if (!watched || result.kind !== "hold") return result;
      return { ...result, camera_seconds: Math.round(watched.seconds * 10) / 10, camera_rep: watched.rep };
    });
  }
}
