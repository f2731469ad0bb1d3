// The guided session page: wires the engine (player.js) to the screen, the voice, sounds,
// the "this hurts" dialog and saving. Screens: pain before → player → pain after → result.

import { CameraCoach } from "./coach.js";
import { loadFigures } from "./figures.js";
import { HurtDialog } from "./hurt.js";
import { PainScale } from "./pain.js";
import { Player } from "./player.js";
import { buildSession, newClientId, sharedOutbox } from "./save.js";
import { Sound } from "./sound.js";
import { Voice } from "./speech.js";
import { annotate } from "./steps.js";
import { loadStrings, translator } from "./strings.js";
import { PlayerView } from "./view.js";
import { ScreenAwake } from "./wakelock.js";

const root = document.getElementById("player");
const data = (id) => JSON.parse(document.getElementById(id).textContent);
const timeline = data("player-timeline");
const alternatives = data("player-alternatives");
const names = data("player-names");
const sides = data("player-sides");
const config = data("player-config");
const strings = loadStrings();
const t = translator(strings);

const engine = new Player(annotate(timeline.steps));
const view = new PlayerView(root, t, names, sides);
const voice = new Voice(document.documentElement.lang, {
  // No voice for the page's language on this device: say so where the session starts and
  // where it plays; the words stay on screen and the beeps mark the holds.
  onNoVoice: () => {
    for (const note of root.querySelectorAll("[data-no-voice]")) note.hidden = false;
  },
});
const sound = new Sound();
const awake = new ScreenAwake();
const hurtDialog = new HurtDialog(root.querySelector("#hurt-dialog"), t);
const outbox = sharedOutbox(root.dataset.api);
const session = { clientId: null, startedAt: null, endedAt: null, painBefore: null, hurtReports: [] };
const MUTED_KEY = "backstretch.player.muted";
// The camera coach's words join the queue behind the step's cue; with no voice, screen readers
// hear them.
const say = (text) => (voice.speaks ? voice.say(text, { interrupt: false }) : view.announce(text));
const coach = new CameraCoach(root, t, data("player-coach"), { engine, say });

function showScreen(name) {
  root.dataset.state = name;
  for (const screen of root.querySelectorAll(".player-screen")) {
    screen.hidden = screen.id !== `screen-${name}`;
  }
  // While playing, the site's header scrolls away so the controls fit on a phone's screen.
  if (name === "play") root.querySelector("#screen-play").scrollIntoView({ block: "start", behavior: "instant" });
  else window.scrollTo({ top: 0, behavior: "instant" });
}

// ---- start -------------------------------------------------------------------------------

function start(painBefore) {
  if (engine.state !== "idle") return;
  sound.unlock(); // this tap is the gesture browsers need before they play sound
  session.clientId = newClientId();
  session.startedAt = new Date();
  session.painBefore = painBefore;
  showScreen("play");
  coach.start();
  engine.start();
  awake.acquire();
  root.querySelector("#play-name").focus({ preventScroll: true });
}

new PainScale(root.querySelector('[data-pain-scale="before"]'), { onPick: start });
const painAfter = new PainScale(root.querySelector('[data-pain-scale="after"]'));
root.querySelector('[data-action="skip-pain"]').addEventListener("click", () => start(null));
root.querySelector('[data-action="camera-on"]')?.addEventListener("click", () => coach.turnOn());
for (const button of root.querySelectorAll('[data-action="camera-off"]')) {
  button.addEventListener("click", () => coach.turnOff());
}

// ---- engine → screen, voice, sound -----------------------------------------------------------

engine.addEventListener("step", ({ detail }) => {
  const { index, step, planned, actual, caughtUp } = detail;
  document.dispatchEvent(
    new CustomEvent("player:step", { detail: { index, kind: step.kind, planned, actual, caughtUp } }),
  );
  if (caughtUp) return;
  view.showStep(engine.played, index);
  coach.follow(index, step);
  view.showTime(engine.played, index, step.seconds);
  // Every cue is on the screen as text (the step's name, counter and words). A screen reader
  // hears it from the live region only while the voice is not saying it (muted, or no voice
  // for the language): the voice and the screen reader never both say the same cue.
  if (voice.speaks) voice.say(step.cue);
  else view.announce(step.cue);
  sound.step(step.kind);
});

engine.addEventListener("tick", ({ detail }) => {
  view.showTime(engine.played, engine.index, detail.seconds);
});

engine.addEventListener("count", ({ detail }) => {
  voice.say(String(detail.seconds), { interrupt: false });
  sound.tick();
});

engine.addEventListener("state", ({ detail }) => {
  const paused = detail.state === "paused";
  const waiting = paused && coach.pausedByCoach; // the coach holds the timer, not the patient
  view.showPaused(paused);
  if (waiting) view.animate("move_in"); // the figure moves into the position to get into
  root.querySelector("#play-paused").textContent = t(waiting ? "coach.paused" : "paused.short");
  root.querySelector("#pause-text").textContent = t(waiting ? "coach.start_now" : paused ? "resume" : "pause");
});

engine.addEventListener("end", ({ detail }) => {
  session.endedAt = new Date();
  session.completed = detail.completed;
  awake.release();
  coach.turnOff();
  if (!detail.completed) voice.stop();
  showScreen("end");
  root.querySelector("#end-title").focus();
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") engine.tick(); // catch up at once
});

// ---- controls ----------------------------------------------------------------------------

function setMuted(muted) {
  voice.muted = muted;
  sound.muted = muted;
  if (muted) voice.stop();
  root.querySelector('[data-action="mute"]').setAttribute("aria-pressed", String(muted));
  try {
    localStorage.setItem(MUTED_KEY, muted ? "1" : "");
  } catch {
    // not remembered; still muted for this session
  }
}

function togglePause() {
  if (engine.state === "playing") {
    engine.pause();
    voice.stop();
    view.announce(t("paused"));
  } else if (engine.state === "paused") {
    coach.overrideHold(); // waiting for the camera: the patient times this hold themselves
    engine.resume();
  }
}

const actions = {
  pause: togglePause,
  back: () => engine.back(),
  "skip-step": () => engine.skipStep(),
  "skip-exercise": () => engine.skipExercise(),
  mute: () => setMuted(!voice.muted),
  finish: () => engine.finish(),
  hurt: () => reportHurt(),
};

root.querySelector("#screen-play").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button && button.dataset.action in actions) actions[button.dataset.action]();
});

document.addEventListener("keydown", (event) => {
  if (root.dataset.state !== "play" || hurtDialog.open || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  if (event.key === " " && !event.target.closest("button, a")) {
    event.preventDefault();
    togglePause();
  } else if (event.key === "ArrowLeft") {
    event.preventDefault();
    engine.back();
  } else if (event.key === "ArrowRight") {
    event.preventDefault();
    engine.skipStep();
  }
});

// ---- this hurts ----------------------------------------------------------------------------

function choicesFor(step) {
  const entry = step.item === null ? null : alternatives[step.item];
  const here = entry?.positions[step.position];
  const choices = [];
  for (const position of here?.gentler ?? []) {
    choices.push({ action: "gentler", position, label: t("option.gentler", { position: t(`position.${position}`) }) });
  }
  if (here?.shorter) {
    choices.push({ action: "shorter", label: t("option.shorter", { seconds: here.shorter.hold_seconds }) });
  }
  if (step.item !== null) choices.push({ action: "skip", label: t("option.skip") });
  choices.push({ action: "continue", label: t("option.continue") });
  return choices;
}

async function reportHurt() {
  if (engine.state !== "playing" && engine.state !== "paused") return;
  const wasPlaying = engine.state === "playing";
  engine.pause();
  voice.stop();
  const index = engine.index;
  // "done" belongs to no exercise: report it against the last one played.
  let step = engine.played[index];
  for (let i = index; !step.exercise && i > 0; i -= 1) step = engine.played[i - 1];
  const answer = await hurtDialog.ask(choicesFor(step));
  if (!answer) {
    if (wasPlaying) engine.resume();
    return;
  }
  engine.hurt(answer.severity);
  session.hurtReports.push({
    step_index: index,
    exercise: step.exercise,
    position: step.position,
    side: step.side,
    severity: answer.severity,
    numbness: answer.numbness,
    action: answer.action,
    reported_at: new Date().toISOString(),
  });
  const here = alternatives[step.item]?.positions[step.position];
  if (answer.action === "gentler") {
    engine.replaceRest(alternatives[step.item].positions[answer.position].steps);
  } else if (answer.action === "shorter") {
    engine.replaceRest(here.shorter.steps, { intro: false });
  } else if (answer.action === "skip") {
    engine.skipExercise();
  } else if (answer.action === "stop") {
    engine.finish();
  } else {
    engine.resume();
  }
}

// ---- end: pain after, save, result ------------------------------------------------------------

function showResult() {
  const results = engine.stepResults();
  const holds = results.filter((r) => r.kind === "hold" && r.result === "done").length;
  const seconds = Math.max(0, Math.round((session.endedAt - session.startedAt) / 1000));
  const pain = (value) => (value === null ? t("result.no_pain") : String(value));
  root.querySelector("#result-title").textContent = t(session.completed ? "result.done" : "result.stopped");
  root.querySelector("#result-minutes").textContent = t("result.time", {
    minutes: Math.floor(seconds / 60),
    seconds: seconds % 60,
  });
  root.querySelector("#result-holds").textContent = String(holds);
  root.querySelector("#result-pain").textContent = t("result.pain", {
    before: pain(session.painBefore),
    after: pain(painAfter.value),
  });
  // The after-session tips (practice/data/tips.toml), put on the page by the server.
  const tips = Object.keys(strings).filter((key) => key.startsWith("tip."));
  root.querySelector("#result-tip").textContent = tips.length ? t(tips[Math.floor(Math.random() * tips.length)]) : "";
  showScreen("result");
  root.querySelector("#result-title").focus();
}

const saveStatus = root.querySelector("#result-save");
let keptHere = false; // shown "saved on this phone" first: the server's answer then reads "synced"
outbox.addEventListener("result", ({ detail }) => {
  if (detail.clientId !== session.clientId) return;
  const status = detail.status;
  root.dataset.saved = status;
  if (status === "saved") {
    saveStatus.textContent = t(keptHere ? "save.synced" : "save.saved");
  } else if (status === "refused") {
    saveStatus.textContent = t("save.refused", { detail: detail.detail });
  } else {
    keptHere = true;
    const loggedOut = detail.detail === "401" || detail.detail === "403";
    saveStatus.textContent = t(status === "waiting" ? "save.offline" : loggedOut ? "save.login" : "save.retry");
  }
});

root.querySelector("#end-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (session.saving) return;
  session.saving = true;
  const payload = buildSession({
    ...session,
    version: config.version,
    variant: config.variant,
    painAfter: painAfter.value,
    note: root.querySelector("#end-note").value,
    steps: coach.summarize(engine.stepResults()),
  });
  saveStatus.textContent = t("save.saving");
  showResult();
  await outbox.add(payload);
  outbox.flush();
});

window.backstretchPlayer = engine; // read by the browser tests and handy when debugging
window.backstretchCoach = coach;
try {
  setMuted(Boolean(localStorage.getItem(MUTED_KEY)));
} catch {
  setMuted(false);
}
showScreen("before");
await loadFigures(timeline.steps); // the routine's figures are in before the session can start
// Everything is wired: the first screen's buttons (disabled in the page until now) may be tapped.
for (const button of root.querySelectorAll("#screen-before button")) button.disabled = false;
