// Replays landmark sequences through the coach's evaluator for tests/coach/ (run by pytest).
// One JSON line in: {"cases": [{"rules": {...}, "frames": [...]}, ...]}; one JSON line out:
// {"results": [[output, ...], ...]}, in the same order. Reads lines until stdin closes.
// The evaluator is loaded from its source as an ES module whatever the package.json says.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const path = new URL("../../backstretch/static/player/coach-evaluator.js", import.meta.url);
const source = readFileSync(path, "utf8");
const { evaluate } = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { cases } = JSON.parse(line);
    answer = { results: cases.map(({ rules, frames }) => evaluate(rules, frames)) };
  } catch (error) {
    answer = { error: String(error && error.stack ? error.stack : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
