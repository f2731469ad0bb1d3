// Saving a performed session: the payload for POST /api/v1/me/sessions. The outbox that keeps
// it on this device until the server has it (IndexedDB, works offline) is shared with every
// page: see pwa/outbox.js.

import { isPain } from "./pain.js";

export { Outbox, sharedOutbox } from "../pwa/outbox.js";

/** A random UUID; crypto.randomUUID needs a secure context, so fall back to random bytes. */
export function newClientId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The session as the API takes it. Pain outside 0–10 is refused here, before any request. */
export function buildSession(s) {
  for (const [name, value] of [["pain_before", s.painBefore], ["pain_after", s.painAfter]]) {
    if (!isPain(value)) throw new RangeError(`${name} must be a whole number from 0 to 10`);
  }
  return {
    client_id: s.clientId,
    routine_version: s.version,
    started_at: s.startedAt.toISOString(),
    ended_at: s.endedAt.toISOString(),
    pain_before: s.painBefore,
    pain_after: s.painAfter,
    note: (s.note || "").slice(0, 2000),
    completed: Boolean(s.completed),
    variant: s.variant === "bad_day" ? "bad_day" : "full",
    steps: s.steps.map((step) => ({
      index: step.index,
      result: step.result,
      hurt_severity: step.result === "hurt" ? step.hurt_severity : null,
      kind: step.kind,
      exercise: step.exercise,
      position: step.position,
      side: step.side,
      rep: step.rep,
      // What the camera coach saw of a hold it watched (static/player/coach.js), if it did.
      ...("camera_seconds" in step ? { camera_seconds: step.camera_seconds, camera_rep: step.camera_rep } : {}),
    })),
    hurt_reports: s.hurtReports,
  };
}
