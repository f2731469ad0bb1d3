// The voice: each step's cue through speechSynthesis, in the page's language.
//
// It speaks only with a voice of the page's language (a Spanish cue read by an English voice
// helps nobody), preferring one on the device (localService: no network, no delay). When the
// device lists voices and none is for the language, it stays silent and says so once
// (onNoVoice): the player then works as without speech, with the words on screen and beeps.

export class Voice {
  constructor(lang, { onNoVoice = () => {} } = {}) {
    this.lang = lang || "en";
    this.muted = false;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    this.canSpeak = Boolean(this.synth) && typeof window.SpeechSynthesisUtterance === "function";
    this.noVoice = false;
    this.onNoVoice = onNoVoice;
    if (this.canSpeak) {
      this.checkVoices();
      // Most browsers fill the list a moment after the page loads.
      this.synth.addEventListener?.("voiceschanged", () => this.checkVoices());
    }
  }

  voicesForLanguage() {
    const voices = this.synth.getVoices?.() ?? [];
    const wanted = this.lang.toLowerCase();
    const base = wanted.split("-")[0];
    const exact = voices.filter((v) => v.lang?.toLowerCase().replace("_", "-") === wanted);
    const same = voices.filter((v) => v.lang?.toLowerCase().replace("_", "-").split("-")[0] === base);
    return { all: voices, matching: exact.length ? [...exact, ...same] : same };
  }

  checkVoices() {
    const { all, matching } = this.voicesForLanguage();
    if (all.length && !matching.length && !this.noVoice) {
      this.noVoice = true;
      this.canSpeak = false;
      this.onNoVoice();
    }
  }

  pickVoice() {
    const { matching } = this.voicesForLanguage();
    return matching.find((v) => v.localService) ?? matching[0] ?? null;
  }

  /** Whether cues are said out loud (not muted, and a voice for the language). */
  get speaks() {
    return !this.muted && this.canSpeak;
  }

  /** Say `text`. A new step interrupts whatever is still being said; counts queue behind. */
  say(text, { interrupt = true } = {}) {
    if (this.muted || !this.canSpeak || !text) return;
    // Cancel only when something is queued: some engines drop a speak() that follows a
    // cancel() of nothing.
    if (interrupt && (this.synth.speaking || this.synth.pending)) this.synth.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = this.lang;
    utterance.rate = 0.95;
    const voice = this.pickVoice();
    if (voice) utterance.voice = voice;
    this.synth.speak(utterance);
  }

  stop() {
    if (this.synth && typeof this.synth.cancel === "function") this.synth.cancel();
  }
}
