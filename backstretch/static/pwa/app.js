// On every page of a signed-in user: registers the service worker (offline use), sends
// sessions kept on this phone when the page opens and when the network returns, and says
// so in a note at the top of the page. The words come from the script tag (translated by
// Django, see practice/_pwa_head.html).

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

// Logging out leaves nothing of this person on the phone: the server's answer tells the browser
// to clear this site's storage and caches (Clear-Site-Data), and this script clears them too for
// browsers that ignore that header. Sessions still waiting in the outbox are sent first; any
// that cannot be (no network, the server failing) would be lost, so the person is asked first.
for (const form of document.querySelectorAll(`form[action="${words.logout}"]`)) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.cleared) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    if (navigator.onLine === false) {
      // Logging out needs the server; nothing is deleted until it can be reached.
      await ask({ title: words.offlineTitle, text: words.offlineText, stay: words.ok });
      return;
    }
    form.dataset.busy = "1";
    const button = form.querySelector("button");
    const label = button?.textContent;
    if (button) button.textContent = words.sending;
    let outbox = null;
    let unsent = [];
    try {
      const { sharedOutbox } = await import(words.outbox);
      outbox = sharedOutbox(words.api);
      await outbox.flush();
      unsent = await outbox.unsent();
    } catch {
      unsent = []; // no outbox on this browser: nothing can be waiting in it
    } finally {
      if (button) button.textContent = label;
      delete form.dataset.busy;
    }
    if (unsent.length) {
      const one = unsent.length === 1;
      const leave = await ask({
        title: words.unsentTitle,
        text: say(one ? words.unsentOne : words.unsentMany, { count: unsent.length }),
        advice: words.unsentAdvice,
        stay: words.stay,
        leave: one ? words.forgetOne : words.forgetMany,
      });
      if (!leave) return;
    }
    try {
      await outbox?.forget();
      if ("caches" in window) {
        for (const name of await caches.keys()) if (name.startsWith("backstretch-")) await caches.delete(name);
      }
    } finally {
      form.dataset.cleared = "1";
      form.requestSubmit();
    }
  });
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}

/** A modal question before logging out. Resolves true when the person chooses to leave (the
 * button given as ``leave``); false for ``stay``, the default, also chosen by Escape. */
function ask({ title, text, advice = "", stay, leave = "" }) {
  const dialog = element("dialog", "logout-warning");
  dialog.setAttribute("aria-labelledby", "logout-warning-title");
  const heading = element("h2", "", title);
  heading.id = "logout-warning-title";
  dialog.append(heading, element("p", "", text));
  if (advice) dialog.append(element("p", "", advice));
  const actions = element("div", "logout-warning__actions");
  const stayButton = element("button", "button", stay);
  stayButton.type = "button";
  actions.append(stayButton);
  if (leave) {
    const leaveButton = element("button", "button button--quiet logout-warning__leave", leave);
    leaveButton.type = "button";
    leaveButton.addEventListener("click", () => dialog.close("leave"));
    actions.append(leaveButton);
  }
  dialog.append(actions);
  document.body.append(dialog);
  return new Promise((resolve) => {
    stayButton.addEventListener("click", () => dialog.close("stay"));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "leave"); // Escape closes with no value: stay
    });
    dialog.showModal();
    stayButton.focus();
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
