// The voice: each step's cue through speechSynthesis, in the page's language.

export class Voice {
  constructor(lang) {
    this.lang = lang || "en";
    this.muted = false;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    this.canSpeak = Boolean(this.synth) && typeof window.SpeechSynthesisUtterance === "function";
  }

  pickVoice() {
    const voices = this.synth.getVoices?.() ?? [];
    const base = this.lang.split("-")[0].toLowerCase();
    return (
      voices.find((v) => v.lang?.toLowerCase() === this.lang.toLowerCase()) ??
      voices.find((v) => v.lang?.toLowerCase().startsWith(base)) ??
      null
    );
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
    if (this.canSpeak) this.synth.cancel();
  }
}
