"""`make bench`: run every benchmark and print medians (see bench/README.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import (
    api_instructions,
    api_load,
    camera_coach,
    cli_startup,
    clinic_dashboard,
    clinic_export,
    clinic_network,
    heavy_posts,
    library_pages,
    player_timing,
    player_weight,
    reminders_run,
    serve_layouts,
    serve_startup,
    today_page,
)

BENCHMARKS = {
    "api-instructions": api_instructions.run,
    "api-load": api_load.run,
    "camera-coach": camera_coach.run,
    "cli-startup": cli_startup.run,
    "clinic-dashboard": clinic_dashboard.run,
    "clinic-export": clinic_export.run,
    "clinic-network": clinic_network.run,
    "heavy-posts": heavy_posts.run,
    "library-pages": library_pages.run,
    "player-timing": player_timing.run,
    "player-weight": player_weight.run,
    "reminders-run": reminders_run.run,
    "serve-layouts": serve_layouts.run,
    "serve-startup": serve_startup.run,
    "today-page": today_page.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], help="default: all")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    args = parser.parse_args()
    results = {}
    for name in args.names or BENCHMARKS:
        print(f"== {name} ==", flush=True)
        results[name] = BENCHMARKS[name](quick=args.quick)
    out = Path("artifacts/bench/results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
