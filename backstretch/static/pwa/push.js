// "Notifications on this phone" on the reminders page: subscribes this browser through our
// service worker and tells the server (POST /api/v1/me/push/subscriptions), or undoes it.
// The words and addresses come from the section's data attributes (translated by Django).

const section = document.getElementById("push-settings");
const words = section.dataset;
const button = section.querySelector("[data-push-toggle]");
const status = section.querySelector("[data-push-status]");

function csrf() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function post(url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(body),
  });
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function show(subscribed, message) {
  button.dataset.subscribed = subscribed ? "1" : "";
  button.textContent = subscribed ? words.turnOff : words.turnOn;
  status.textContent = message;
}

async function registration() {
  return navigator.serviceWorker.ready;
}

// A browser that never answers (a permission prompt left open, a push service out of reach)
// must not leave the button dead: after this long the page says it did not work.
const PATIENCE_MS = 30000;

function inTime(promise) {
  return Promise.race([
    promise,
    new Promise((resolve, reject) => setTimeout(() => reject(new Error("no answer")), PATIENCE_MS)),
  ]);
}

async function turnOn() {
  if ((await Notification.requestPermission()) !== "granted") {
    show(false, words.blocked);
    return;
  }
  const reg = await registration();
  const subscription = await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(words.key),
  });
  const response = await post(words.subscribe, subscription.toJSON());
  if (!response.ok) {
    await subscription.unsubscribe();
    show(false, words.failed);
    return;
  }
  show(true, words.on);
}

async function turnOff() {
  const reg = await registration();
  const subscription = await reg.pushManager.getSubscription();
  if (subscription) {
    await post(words.unsubscribe, { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  show(false, words.off);
}

async function start() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = words.unsupported;
    return;
  }
  const reg = await registration();
  const subscription = await reg.pushManager.getSubscription();
  show(Boolean(subscription), subscription ? words.on : words.off);
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await inTime(button.dataset.subscribed ? turnOff() : turnOn());
    } catch {
      show(false, words.failed);
    } finally {
      button.disabled = false;
    }
  });
}

start();
