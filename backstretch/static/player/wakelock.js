// Keep the screen on while a session plays. The browser drops the lock whenever the page is
// hidden, so it is asked for again when the page comes back.

export class ScreenAwake {
  constructor() {
    this.sentinel = null;
    this.wanted = false;
    document.addEventListener("visibilitychange", () => {
      if (this.wanted && document.visibilityState === "visible") this.acquire();
    });
  }

  async acquire() {
    this.wanted = true;
    if (!("wakeLock" in navigator)) return;
    if (this.sentinel && !this.sentinel.released) return;
    try {
      this.sentinel = await navigator.wakeLock.request("screen");
    } catch {
      this.sentinel = null; // refused (battery saver, hidden page): the session still plays
    }
  }

  async release() {
    this.wanted = false;
    const sentinel = this.sentinel;
    this.sentinel = null;
    try {
      await sentinel?.release();
    } catch {
      // already released
    }
  }
}
