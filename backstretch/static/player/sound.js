// Short beeps (Web Audio) and vibration, for phones without a voice and as an extra signal.
// Browsers only start audio after a tap: call unlock() from the first tap.

const PITCH = { hold: 880, activity: 880, rest: 520, switch_side: 520, move_in: 660, get_ready: 660, done: 990 };

export class Sound {
  constructor() {
    this.context = null;
    this.muted = false;
  }

  unlock() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      this.context ??= new Context();
      if (this.context.state === "suspended") this.context.resume().catch(() => {});
    } catch {
      this.context = null;
    }
  }

  beep(frequency = 660, milliseconds = 140) {
    const audio = this.context;
    if (this.muted || !audio || audio.state !== "running") return;
    const start = audio.currentTime;
    const end = start + milliseconds / 1000;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(end + 0.02);
  }

  vibrate(pattern) {
    if (typeof navigator.vibrate === "function") {
      try {
        navigator.vibrate(pattern);
      } catch {
        // Some browsers refuse vibration without a recent tap; the voice still speaks.
      }
    }
  }

  /** The signal for a step starting: a beep by kind; holds also buzz once, the end twice. */
  step(kind) {
    if (kind in PITCH) this.beep(PITCH[kind], kind === "done" ? 400 : 160);
    if (kind === "hold") this.vibrate(120);
    if (kind === "done") this.vibrate([120, 80, 120]);
  }

  /** A tick for the last seconds of a hold. */
  tick() {
    this.beep(740, 70);
  }
}
