"""One node process per test session replays landmark sequences through the coach's evaluator
(``static/player/coach-evaluator.js``, via ``runner.mjs``): many sequences per call."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

RUNNER = Path(__file__).with_name("runner.mjs")


class Evaluator:
    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is needed to run the coach's evaluator (apt-get install nodejs)")
        self.process = subprocess.Popen(
            [node, str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run_many(self, cases: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> list[Any]:
        """The evaluator's outputs for each (rules, frames), in order."""
        assert self.process.stdin is not None and self.process.stdout is not None
        line = json.dumps({"cases": [{"rules": r, "frames": f} for r, f in cases]})
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"error": "node stopped"}')
        if "error" in answer:
            pytest.fail(f"the evaluator failed: {answer['error']}")
        results: list[Any] = answer["results"]
        return results

    def run(self, rules: dict[str, Any], frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.run_many([(rules, frames)])[0]
        return result

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def evaluator() -> Iterator[Evaluator]:
    running = Evaluator()
    yield running
    running.close()
