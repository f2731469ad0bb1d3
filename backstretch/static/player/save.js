// Saving a performed session: the payload for POST /api/v1/me/sessions, kept in localStorage
// until the server has answered 200 or 201, and retried after failures. The queue already
// holds any number of sessions, keyed by client id, so a later offline outbox builds on it.

import { isPain } from "./pain.js";

export const OUTBOX_KEY = "backstretch.outbox.v1";
// Sessions the server refused (it will never take them): kept aside, never silently lost.
export const REFUSED_KEY = "backstretch.refused.v1";
const RETRY_SECONDS = [2, 5, 15, 30, 60];

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
    })),
    hurt_reports: s.hurtReports,
  };
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector('input[name="csrfmiddlewaretoken"]')?.value ?? "";
}

export class Outbox extends EventTarget {
  constructor(url, storage = window.localStorage) {
    super();
    this.url = url;
    this.storage = storage;
    this.failures = 0;
    this.timer = null;
    this.sending = false;
    window.addEventListener("online", () => this.flush());
  }

  read(key = OUTBOX_KEY) {
    try {
      const entries = JSON.parse(this.storage.getItem(key) || "{}");
      return entries && typeof entries === "object" ? entries : {};
    } catch {
      return {};
    }
  }

  write(entries, key = OUTBOX_KEY) {
    try {
      if (Object.keys(entries).length) this.storage.setItem(key, JSON.stringify(entries));
      else this.storage.removeItem(key);
    } catch {
      // Storage full or blocked (private mode): the request below is still made.
    }
  }

  add(session) {
    const entries = this.read();
    entries[session.client_id] = session;
    this.write(entries);
  }

  remove(clientId) {
    const entries = this.read();
    delete entries[clientId];
    this.write(entries);
  }

  emit(clientId, status, detail = "") {
    this.dispatchEvent(new CustomEvent("result", { detail: { clientId, status, detail } }));
  }

  /** Send every queued session; a failure schedules another try with a growing wait. */
  async flush() {
    if (this.sending) return;
    this.sending = true;
    clearTimeout(this.timer);
    let retry = false;
    try {
      for (const session of Object.values(this.read())) {
        const outcome = await this.send(session);
        if (outcome.status === "retry") retry = true;
        this.emit(session.client_id, outcome.status, outcome.detail);
      }
    } finally {
      this.sending = false;
    }
    if (retry) {
      const wait = RETRY_SECONDS[Math.min(this.failures, RETRY_SECONDS.length - 1)];
      this.failures += 1;
      this.timer = setTimeout(() => this.flush(), wait * 1000);
    } else {
      this.failures = 0;
    }
  }

  async send(session) {
    let response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(session),
      });
    } catch {
      return { status: "retry" }; // offline or the server is down
    }
    if (response.status === 200 || response.status === 201) {
      this.remove(session.client_id);
      return { status: "saved" };
    }
    if ([400, 404, 409, 422].includes(response.status)) {
      // The server will never take this payload; keeping it would retry forever.
      let detail = "";
      try {
        detail = (await response.json()).detail ?? "";
      } catch {
        detail = response.statusText;
      }
      this.remove(session.client_id);
      const refused = this.read(REFUSED_KEY);
      refused[session.client_id] = { session, status: response.status, detail };
      this.write(refused, REFUSED_KEY);
      return { status: "refused", detail };
    }
    return { status: "retry" }; // 401/403 (logged out), 5xx: try again later
  }
}
