// Pure helpers over the list of steps being played. The steps themselves always come from the
// server (the compiled timeline and its compiled alternatives); these functions only number
// them by exercise, find places in the list and splice a server-made segment in.

/** Copies of the timeline's steps, each tagged with `item`: the routine item it belongs to.
 *  A "next" step belongs to the exercise it announces; "done" belongs to none (null). */
export function annotate(steps) {
  let intros = 0;
  return steps.map((step, index) => {
    let item = null;
    if (step.kind === "intro") {
      item = intros;
      intros += 1;
    } else if (step.kind === "next") {
      item = intros;
    } else if (step.kind !== "done") {
      item = Math.max(0, intros - 1);
    }
    return { ...step, item, origin: index };
  });
}

/** [first, last] indexes of the steps of the item that `index` belongs to. */
export function itemRange(played, index) {
  const item = played[index]?.item;
  if (item === null || item === undefined) return [index, index];
  let first = index;
  let last = index;
  while (first > 0 && played[first - 1].item === item) first -= 1;
  while (last + 1 < played.length && played[last + 1].item === item) last += 1;
  return [first, last];
}

/** The first hold at or after `index` within the same item, or -1. */
export function holdAtOrAfter(played, index) {
  const [, last] = itemRange(played, index);
  for (let i = index; i <= last; i += 1) {
    if (played[i].kind === "hold") return i;
  }
  return -1;
}

/** How many repetitions the item's holds count to ("2 of 5": the 5). */
export function repetitionsOf(played, index) {
  const [first, last] = itemRange(played, index);
  let count = 0;
  for (let i = first; i <= last; i += 1) {
    if (played[i].kind === "hold") count = Math.max(count, played[i].rep ?? 0);
  }
  return count;
}

/** The side a figure should face for the step at `index`. */
export function sideFor(played, index) {
  const step = played[index];
  if (step.side) return step.side;
  const hold = holdAtOrAfter(played, index);
  if (hold >= 0 && played[hold].side) return played[hold].side;
  for (let i = index - 1; i >= 0 && played[i].item === step.item; i -= 1) {
    if (played[i].side) return played[i].side;
  }
  return "left";
}

/** Seconds of every step after `index`. */
export function secondsAfter(played, index) {
  let total = 0;
  for (let i = index + 1; i < played.length; i += 1) total += played[i].seconds;
  return total;
}

/**
 * A new list: the steps up to and including `index`, then `segment` (a server-compiled run of
 * one exercise in a gentler position or with shorter holds) from the hold the patient had
 * reached (with the move-in before it), then whatever followed the current exercise. With
 * `intro` false the segment's intro is left out (same position: the patient knows what to do).
 * A timed activity (walking) has no holds: its segment is taken from its first minute.
 */
export function spliceSegment(played, index, segment, { intro = true } = {}) {
  const [, last] = itemRange(played, index);
  const item = played[index].item;
  const anchor = holdAtOrAfter(played, index);
  const timed = (step) => step.kind === "hold" || step.kind === "activity";
  let from = segment.findIndex(timed);
  if (anchor >= 0) {
    const { side, rep } = played[anchor];
    const same = segment.findIndex((s) => s.kind === "hold" && s.side === side && s.rep === rep);
    if (same >= 0) from = same;
  }
  if (from < 0) return played.slice();
  // Start at the move-in (and side switch) that leads into that hold: its seconds are not held.
  while (from > 0 && (segment[from - 1].kind === "move_in" || segment[from - 1].kind === "switch_side")) from -= 1;
  const lead = segment.slice(0, from).filter((step) => step.kind === "get_ready" || (intro && step.kind === "intro"));
  const inserted = [...lead, ...segment.slice(from)].map((step) => ({ ...step, item, origin: null }));
  return [...played.slice(0, index + 1), ...inserted, ...played.slice(last + 1)];
}
