// The camera coach's judge (issue 18): landmark frames in, states out. Pure and dependency-free:
// no DOM, no clock, no camera. Everything is driven by the frames' own timestamps, so the same
// frames always give the same states (tests/coach/ replays synthetic ones under node).
//
// rules: the JSON that backstretch/library/camera.py's compile_rules() emits (checks with their
//   ranges, hysteresis, required landmarks, timings). See docs/camera-coach.md.
// frame: { t: milliseconds (performance.now() or the video's time),
//          world: 33 landmarks in metres (preferred), image: 33 normalised landmarks (fallback),
//          aspect: image width / height (for image landmarks; default 1) }
//   A landmark is { x, y, z, visibility } as the pose model gives it, or [x, y, z, visibility].
//   y points down in both, as the model gives them. No landmarks at all: nobody was found.
//
// Each frame gives one output:
//   { t, state, reps, cue, ...details }, state one of
//   "no_person"                          nobody (or almost nothing required) is seen
//   "not_seen"        landmarks: [...]   some required landmarks are not seen (which)
//   "not_in_position" check, direction ("increase" | "decrease"), message (a correction key)
//   "holding"         elapsed (seconds)  in position long enough: the hold is counting
//   "rep_done"        reps               the hold just reached hold_seconds (one frame)
// cue is null, or { key, ... } on the one frame a correction is to be said: only when the
// correction has changed and stood for cue_seconds, and never within cue_gap_seconds of the last.
// A frame whose timestamp is not after the last one is ignored: it repeats the previous output
// with ignored: true and no cue.

const UP = [0, -1, 0];

function coords(landmark, aspect) {
  if (!landmark) return null;
  const [x, y, z, v] = Array.isArray(landmark)
    ? landmark
    : [landmark.x, landmark.y, landmark.z, landmark.visibility];
  if (![x, y].every(Number.isFinite)) return null;
  return { p: [x * aspect, y, Number.isFinite(z) ? z : 0], v: Number.isFinite(v) ? v : 1 };
}

function pickLandmarks(frame) {
  if (Array.isArray(frame.world) && frame.world.length === 33) return { list: frame.world, aspect: 1, flat: false };
  if (Array.isArray(frame.image) && frame.image.length === 33) {
    const aspect = Number.isFinite(frame.aspect) && frame.aspect > 0 ? frame.aspect : 1;
    return { list: frame.image, aspect, flat: true };
  }
  return null;
}

const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function between(u, v) {
  const lengths = Math.sqrt(dot(u, u) * dot(v, v));
  if (!(lengths > 1e-9)) return NaN;
  return (Math.acos(Math.max(-1, Math.min(1, dot(u, v) / lengths))) * 180) / Math.PI;
}

export function measure(kind, points) {
  if (kind === "angle") return between(sub(points[0], points[1]), sub(points[2], points[1]));
  return between(sub(points[1], points[0]), UP);
}

export function createCoach(rules) {
  const index = new Map(rules.landmarks.map((name, i) => [name, i]));
  const minVis = rules.min_visibility;
  const grace = rules.dropout_seconds;
  const s = {
    last: null, // last accepted timestamp (ms)
    output: null,
    smooth: new Map(), // check name -> smoothed value
    smoothAt: null, // time of the last measured frame (s)
    inPosition: false, // hysteresis state over all checks
    inRangeSince: null, // s: start of the current stretch in position (null: not in position)
    badSince: null, // s: start of the current stretch unseen or out of position
    repDone: false, // the current hold has already counted its rep
    reps: 0,
    lastSeen: null, // the last output made from a frame where the body was seen
    candidate: null, // the correction that would be said, and since when
    candidateSince: null,
    lastCued: null,
    lastCueAt: null,
  };

  function point(name, list, aspect) {
    if (name.startsWith("mid_")) {
      const part = name.slice(4);
      const a = point(`left_${part}`, list, aspect);
      const b = point(`right_${part}`, list, aspect);
      if (!a || !b) return null;
      return { p: a.p.map((value, i) => (value + b.p[i]) / 2), v: Math.min(a.v, b.v) };
    }
    return coords(list[index.get(name)], aspect);
  }

  function see(frame) {
    const picked = pickLandmarks(frame);
    if (!picked) return { seen: "none", missing: rules.required };
    const missing = rules.required.filter((name) => {
      const c = point(name, picked.list, picked.aspect);
      return !c || c.v < minVis;
    });
    if (missing.length === rules.required.length) return { seen: "none", missing };
    if (missing.length) return { seen: "partial", missing };
    const values = rules.checks.map((check) => {
      const pts = check.points.map((name) => point(name, picked.list, picked.aspect).p);
      if (picked.flat) pts.forEach((p) => (p[2] = 0));
      return measure(check.kind, pts);
    });
    if (!values.every(Number.isFinite)) return { seen: "partial", missing: [] };
    return { seen: "all", values };
  }

  function smoothed(values, t) {
    const fresh = s.smoothAt === null || t - s.smoothAt > grace;
    const alpha = fresh ? 1 : 1 - Math.exp(-(t - s.smoothAt) / rules.smoothing_seconds);
    s.smoothAt = t;
    return rules.checks.map((check, i) => {
      const before = s.smooth.get(check.name);
      const value = fresh || before === undefined ? values[i] : before + alpha * (values[i] - before);
      s.smooth.set(check.name, value);
      return value;
    });
  }

  // The first check out of range (rules list checks in the order to correct them), or null.
  function firstOff(values, widen) {
    for (let i = 0; i < rules.checks.length; i++) {
      const check = rules.checks[i];
      const margin = widen ? check.hysteresis : 0;
      const [low, high] = check.range;
      if (values[i] < low - margin) return { check: check.name, direction: "increase", message: check.when_low };
      if (values[i] > high + margin) return { check: check.name, direction: "decrease", message: check.when_high };
    }
    return null;
  }

  function breakHold() {
    s.inRangeSince = null;
    s.inPosition = false;
    s.repDone = false;
  }

  function judge(frame, t) {
    const seen = see(frame);
    let off = null;
    if (seen.seen === "all") {
      const values = smoothed(seen.values, t);
      off = firstOff(values, s.inPosition);
      s.inPosition = off === null;
    }
    const good = seen.seen === "all" && s.inPosition;
    if (good) {
      s.badSince = null;
      if (s.inRangeSince === null) s.inRangeSince = t;
    } else {
      if (s.badSince === null) s.badSince = t;
      // Only a hold that has started survives a short break (a dropped frame, a wobble).
      const started = s.inRangeSince !== null && s.badSince >= s.inRangeSince + rules.enter_seconds;
      if (!started || t - s.badSince > grace) breakHold();
      else if (seen.seen === "all") s.inPosition = true; // keep judging with the wide range
    }
    const holdFrom = s.inRangeSince === null ? null : s.inRangeSince + rules.enter_seconds;
    if (holdFrom !== null && t >= holdFrom) {
      const elapsed = t - holdFrom;
      if (!s.repDone && elapsed >= rules.hold_seconds) {
        s.repDone = true;
        s.reps += 1;
        return { state: "rep_done", reps: s.reps };
      }
      return { state: "holding", elapsed: Math.round(elapsed * 1000) / 1000 };
    }
    if (seen.seen === "all") {
      const out = off
        ? { state: "not_in_position", ...off }
        : { state: "not_in_position", check: null, direction: null, message: null }; // entering
      s.lastSeen = out;
      return out;
    }
    // A short dropout keeps the last seen state; a long one says what is not seen.
    if (s.lastSeen && t - s.badSince <= grace) return s.lastSeen;
    s.lastSeen = null;
    if (seen.seen === "none") return { state: "no_person" };
    return { state: "not_seen", landmarks: seen.missing };
  }

  function correction(out) {
    if (out.state === "no_person") return { key: "step-into-view" };
    if (out.state === "not_seen") return { key: "show-whole-body", landmarks: out.landmarks };
    if (out.state === "not_in_position" && out.message) {
      return { key: out.message, check: out.check, direction: out.direction };
    }
    return null;
  }

  function cueFor(out, t) {
    const wanted = correction(out);
    const id = wanted ? `${wanted.key}|${wanted.check ?? ""}` : null;
    if (id !== s.candidate) {
      s.candidate = id;
      s.candidateSince = t;
    }
    if (id === null) {
      s.lastCued = null; // in position (or about to be): a later correction may be said again
      return null;
    }
    if (id === s.lastCued || t - s.candidateSince < rules.cue_seconds) return null;
    if (s.lastCueAt !== null && t - s.lastCueAt < rules.cue_gap_seconds) return null;
    s.lastCued = id;
    s.lastCueAt = t;
    return wanted;
  }

  return {
    push(frame) {
      const ms = frame ? frame.t : NaN;
      if (!Number.isFinite(ms) || (s.last !== null && ms <= s.last)) {
        return { ...(s.output ?? { t: ms, state: "no_person", reps: s.reps }), ignored: true, cue: null };
      }
      s.last = ms;
      const t = ms / 1000;
      const out = judge(frame, t);
      s.output = { t: ms, ...out, reps: s.reps, cue: cueFor(out, t) };
      return s.output;
    },
    get reps() {
      return s.reps;
    },
  };
}

// All outputs of one sequence of frames: the pure form of createCoach(rules).push.
export function evaluate(rules, frames) {
  const coach = createCoach(rules);
  return frames.map((frame) => coach.push(frame));
}
