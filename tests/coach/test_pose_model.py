"""The camera coach's pose model, for real: the file `make install` builds from registry
packages (scripts/build-pose-model.py), run by mediapipe's Python runtime (the same model file
the browser loads) on photographs of people from a Debian package (opencv-doc's sample images),
with the network cut off (`unshare --net`), as a patient's phone would run it offline."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "build" / "coach" / "models" / "pose_landmarker_lite.task"
PHOTOS = Path("/usr/share/doc/opencv-doc/examples/data")
PROBE = Path(__file__).with_name("pose_probe.py")
# BlazePose's landmark order (33 points).
NOSE, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP = 0, 11, 12, 23, 24
LEFT_ANKLE, RIGHT_ANKLE = 27, 28


def run_offline(*photos: str) -> dict[str, list[dict[str, list[list[float]]]]]:
    assert MODEL.is_file(), f"{MODEL} is missing: `make install` builds it"
    missing = [name for name in photos if not (PHOTOS / name).is_file()]
    assert not missing, f"{missing} missing: apt-get install opencv-doc (.ci/run does)"
    command = [sys.executable, str(PROBE), str(MODEL), *(str(PHOTOS / name) for name in photos)]
    done = subprocess.run(
        ["unshare", "--net", *command], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {answer["file"]: answer["people"] for answer in json.loads(done.stdout)}


def test_the_built_model_is_the_pinned_one():
    digest = hashlib.sha256(MODEL.read_bytes()).hexdigest()
    assert digest == "4a097b9587a014ac843f4e4eb7269a78f80bf2c22f7ccf9a2a79912a6fd24045"


def test_the_model_finds_a_standing_person_in_a_photograph_with_no_network():
    seen = run_offline("basketball1.png", "messi5.jpg", "fruits.jpg")
    for photo in ("basketball1.png", "messi5.jpg"):
        [person] = seen[photo]
        image, world = person["image"], person["world"]
        assert len(image) == len(world) == 33
        # Upright: the head above the shoulders, the shoulders above the hips, the hips above
        # the ankles (image y grows downwards).
        shoulders = (image[LEFT_SHOULDER][1] + image[RIGHT_SHOULDER][1]) / 2
        hips = (image[LEFT_HIP][1] + image[RIGHT_HIP][1]) / 2
        ankles = (image[LEFT_ANKLE][1] + image[RIGHT_ANKLE][1]) / 2
        assert image[NOSE][1] < shoulders < hips < ankles, photo
        assert min(image[i][3] for i in (NOSE, LEFT_SHOULDER, RIGHT_SHOULDER)) > 0.5, photo
        # World landmarks are in metres from the hips' centre: a person's shoulders are a
        # few tens of centimetres apart, not metres.
        span = sum((a - b) ** 2 for a, b in zip(world[11], world[12], strict=True)) ** 0.5
        assert 0.2 < span < 0.6, (photo, span)
    assert seen["fruits.jpg"] == []  # a bowl of fruit is nobody
