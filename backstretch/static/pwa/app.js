// On every page of a signed-in user: registers the service worker (offline use), sends
// sessions kept on this phone when the page opens and when the network returns, and says
// so in a note at the top of the page. The words come from the script tag (translated by
// Django, see practice/_pwa_head.html).

const PAGES_CACHE = "backstretch-pages"; // the same name as in pwa/sw.js
const script = document.getElementById("pwa-script");
const words = script.dataset;

function say(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(words.sw, { scope: "/" }).catch(() => {
    // No offline copy on this browser; everything still works online.
  });
}

// Logging out forgets the offline copies of this person's pages before leaving.
for (const form of document.querySelectorAll(`form[action="${words.logout}"]`)) {
  form.addEventListener("submit", async (event) => {
    if (!("caches" in window) || form.dataset.cleared) return;
    event.preventDefault();
    try {
      await caches.delete(PAGES_CACHE);
    } finally {
      form.dataset.cleared = "1";
      form.requestSubmit();
    }
  });
}

function note() {
  let element = document.getElementById("outbox-note");
  if (!element) {
    element = document.createElement("p");
    element.id = "outbox-note";
    element.className = "notice outbox-note";
    element.setAttribute("role", "status");
    element.hidden = true;
    document.getElementById("main")?.prepend(element);
  }
  return element;
}

// Today's page was kept before the session: its "not done yet" line would contradict the note.
let markedLine = null;
function markTodayDone() {
  const status = document.querySelector(".today__status:not(.today__status--done)");
  const line = status?.querySelector("p");
  if (!line) return;
  status.classList.add("today__status--done");
  line.textContent = words.doneHere;
  markedLine = line;
}

function endedToday(session) {
  return new Date(session.ended_at).toDateString() === new Date().toDateString();
}

async function start() {
  const { sharedOutbox } = await import(words.outbox);
  const outbox = sharedOutbox(words.api);
  const element = note(); // in the page before any text, so screen readers announce changes
  let hadWaiting = false;
  outbox.addEventListener("change", ({ detail }) => {
    const count = detail.waiting.length;
    document.documentElement.dataset.outbox = count ? "waiting" : hadWaiting ? "synced" : "empty";
    if (count) {
      hadWaiting = true;
      const todays = count === 1 && detail.waiting[0].session?.completed && endedToday(detail.waiting[0].session);
      element.textContent = say(todays ? words.waitingToday : count === 1 ? words.waitingOne : words.waitingMany, { count });
      if (todays) markTodayDone();
      element.classList.remove("outbox-note--synced");
      element.hidden = false;
    } else if (hadWaiting) {
      element.textContent = words.synced;
      if (markedLine) markedLine.textContent = words.doneSynced;
      element.classList.add("outbox-note--synced");
      element.hidden = false;
    }
  });
  await outbox.changed();
  outbox.flush();
}

if (words.api) start();
