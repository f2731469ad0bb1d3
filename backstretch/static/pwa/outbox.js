// The outbox: performed sessions kept in this browser (IndexedDB, keyed by client id) until
// the server has acknowledged them. Sending is idempotent on the server (the client id), so a
// retry after a lost answer can never make a second copy. Used by the player (save.js) and by
// every page (app.js), which sends anything waiting when the page opens and when the network
// comes back.

const DB_NAME = "backstretch";
const DB_VERSION = 1;
export const WAITING = "outbox"; // sessions still to send
export const REFUSED = "refused"; // sessions the server will never take: kept, never lost
// Where the player kept unsent sessions before the outbox moved to IndexedDB.
export const LEGACY_KEYS = { [WAITING]: "backstretch.outbox.v1", [REFUSED]: "backstretch.refused.v1" };
const RETRY_SECONDS = [2, 5, 15, 30, 60];
const LOCK = "backstretch-outbox";
const SEND_TIMEOUT_MS = 30000;

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

async function openDatabase() {
  const opening = indexedDB.open(DB_NAME, DB_VERSION);
  opening.onupgradeneeded = () => {
    for (const name of [WAITING, REFUSED]) {
      if (!opening.result.objectStoreNames.contains(name)) {
        opening.result.createObjectStore(name, { keyPath: "client_id" });
      }
    }
  };
  const db = await request(opening);
  // Logging out deletes the database (here or by Clear-Site-Data): let go of it when asked.
  db.onversionchange = () => db.close();
  return db;
}

/** A tiny IndexedDB store of records keyed by client_id; falls back to memory if blocked. */
class Store {
  constructor() {
    this.db = openDatabase().catch(() => null);
    this.memory = { [WAITING]: new Map(), [REFUSED]: new Map() };
  }

  async run(name, mode, work) {
    const db = await this.db;
    if (db) {
      try {
        const tx = db.transaction(name, mode);
        const done = new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        const result = await work(tx.objectStore(name), null);
        await done;
        return result;
      } catch {
        // Storage full or closed: this page keeps it in memory and still sends it.
      }
    }
    return work(null, this.memory[name]);
  }

  async all(name) {
    const stored = await this.run(name, "readonly", (store) => (store ? request(store.getAll()) : []));
    const keys = new Set(stored.map((record) => record.client_id));
    return [...stored, ...[...this.memory[name].values()].filter((record) => !keys.has(record.client_id))];
  }

  put(name, record) {
    return this.run(name, "readwrite", (store, memory) =>
      store ? request(store.put(record)) : memory.set(record.client_id, record),
    );
  }

  delete(name, clientId) {
    this.memory[name].delete(clientId);
    return this.run(name, "readwrite", (store) => (store ? request(store.delete(clientId)) : null));
  }
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector('input[name="csrfmiddlewaretoken"]')?.value ?? "";
}

/** One lock across tabs, so two open pages do not send the same session at once. */
function exclusively(work) {
  if (navigator.locks?.request) return navigator.locks.request(LOCK, work);
  return work();
}

function newId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0"));
  hex[6] = `4${hex[6][1]}`;
  hex[8] = ((parseInt(hex[8], 16) & 0x3f) | 0x80).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * Events: "result" {clientId, status, detail} after each attempt, where status is
 * "saved" (the server has it), "waiting" (no network: kept here), "retry" (the server failed
 * or asks to log in again: kept here), or "refused" (the server will never take it: kept aside);
 * "change" {waiting, refused} whenever the number of kept sessions may have changed.
 */
export class Outbox extends EventTarget {
  constructor(url, { storage = globalThis.localStorage } = {}) {
    super();
    this.url = url;
    this.store = new Store();
    this.failures = 0;
    this.timer = null;
    this.flushing = null;
    this.again = false;
    // Whose sessions this page may send: on a shared phone, someone else's wait for them.
    this.owner = document.getElementById("pwa-script")?.dataset.owner ?? null;
    this.ready = this.migrate(storage);
    window.addEventListener("online", () => this.flush());
  }

  /** Move sessions an older version of the player kept in localStorage into IndexedDB. */
  async migrate(storage) {
    for (const [name, key] of Object.entries(LEGACY_KEYS)) {
      let entries = {};
      try {
        entries = JSON.parse(storage?.getItem(key) || "{}") || {};
      } catch {
        entries = {};
      }
      for (const [clientId, value] of Object.entries(entries)) {
        const record = name === WAITING ? { client_id: clientId, session: value } : { client_id: clientId, ...value };
        await this.store.put(name, record);
      }
      try {
        storage?.removeItem(key);
      } catch {
        // Blocked storage: nothing was there to move.
      }
    }
  }

  mine(record) {
    return !record.owner || !this.owner || record.owner === this.owner;
  }

  async waiting() {
    await this.ready;
    return (await this.store.all(WAITING)).filter((record) => this.mine(record));
  }

  async refused() {
    await this.ready;
    return (await this.store.all(REFUSED)).filter((record) => this.mine(record));
  }

  /** Every session kept on this phone and not on the server, whoever did it. */
  async unsent() {
    await this.ready;
    const [waiting, refused] = await Promise.all([this.store.all(WAITING), this.store.all(REFUSED)]);
    return [...waiting, ...refused];
  }

  /** Delete every kept session from this phone (logging out, after a warning). */
  async forget() {
    clearTimeout(this.timer);
    for (const name of [WAITING, REFUSED]) {
      for (const record of await this.store.all(name)) await this.store.delete(name, record.client_id);
    }
    await this.changed();
  }

  async add(session) {
    await this.ready;
    const kept_at = new Date().toISOString();
    await this.store.put(WAITING, { client_id: session.client_id, session, owner: this.owner, kept_at });
    await this.changed();
  }

  async changed() {
    const [waiting, refused] = await Promise.all([this.waiting(), this.refused()]);
    this.dispatchEvent(new CustomEvent("change", { detail: { waiting, refused } }));
    return waiting;
  }

  emit(clientId, status, detail = "") {
    this.dispatchEvent(new CustomEvent("result", { detail: { clientId, status, detail } }));
  }

  /**
   * Send every kept session; a failure schedules another try with a growing wait. Asked while
   * a round is under way (a session saved meanwhile), it runs one more round before answering,
   * so nothing added during a send is left behind.
   */
  flush() {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.again = false;
        await exclusively(() => this.sendAll());
      } while (this.again);
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async sendAll() {
    clearTimeout(this.timer);
    let retry = false;
    for (const record of await this.waiting()) {
      const outcome = await this.send(record);
      if (outcome.status === "waiting" || outcome.status === "retry") retry = true;
      this.emit(record.client_id, outcome.status, outcome.detail);
    }
    await this.changed();
    if (retry) {
      const wait = RETRY_SECONDS[Math.min(this.failures, RETRY_SECONDS.length - 1)];
      this.failures += 1;
      this.timer = setTimeout(() => this.flush(), wait * 1000);
    } else {
      this.failures = 0;
    }
  }

  async post(session) {
    return fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(session),
      // A connection that hangs (one bar of signal) counts as no network: kept, tried later,
      // and the cross-tab lock is not held for ever.
      signal: AbortSignal.timeout?.(SEND_TIMEOUT_MS),
    });
  }

  async send(record) {
    if (navigator.onLine === false) return { status: "waiting" }; // surely offline: no request
    let response;
    try {
      response = await this.post(record.session);
      if (response.status === 409) {
        // The id is taken by a session that is not this one (never ours): a fresh id is safe.
        // Kept before sending, so a lost answer is retried with the same new id.
        record.session = { ...record.session, client_id: newId() };
        await this.store.put(WAITING, record);
        response = await this.post(record.session);
      }
    } catch {
      return { status: "waiting" }; // offline, or the server cannot be reached
    }
    if (response.status === 200 || response.status === 201) {
      await this.store.delete(WAITING, record.client_id);
      return { status: "saved" };
    }
    if ([400, 404, 409, 413, 422].includes(response.status)) {
      // The server will never take this payload; retrying would fail forever. Kept aside.
      let detail = "";
      try {
        detail = (await response.json()).detail ?? "";
      } catch {
        detail = response.statusText;
      }
      const { client_id, session, owner } = record;
      await this.store.put(REFUSED, { client_id, session, owner, status: response.status, detail });
      await this.store.delete(WAITING, record.client_id);
      return { status: "refused", detail };
    }
    return { status: "retry", detail: String(response.status) }; // 401/403: logged out; 5xx
  }
}

let shared = null;

/** The page's one outbox: the player and the page-wide sync note share it (and its events). */
export function sharedOutbox(url) {
  shared ??= new Outbox(url);
  return shared;
}
