"""Record what the real pose model sees of a scene made of photographs, as the browser's
camera loop hands it to the coach: ``{t, image, world}`` per frame, nothing when nobody is found.

    python tests/coach/record_real.py MODEL PHOTO:SECONDS [PHOTO:SECONDS ...]

Each photograph plays for its seconds at 30 frames a second, in mediapipe's VIDEO mode (the
mode the browser runs: it tracks the body from frame to frame), with a little sensor noise of
its own per frame (fixed seed), so the model's landmarks jitter as a real camera's do. Run as a
program so that a test can cut off the network (``unshare --net``); prints JSON.
"""

from __future__ import annotations

import json
import sys

import numpy as np
from mediapipe import Image, ImageFormat
from mediapipe.tasks.python import BaseOptions, vision
from PIL import Image as Picture

FPS = 30
SIZE = (640, 480)  # what camera.js asks the phone's camera for


def scene(parts: list[str]) -> list[tuple[np.ndarray, int]]:
    out = []
    for part in parts:
        path, seconds = part.rsplit(":", 1)
        picture = Picture.open(path).convert("RGB")
        picture.thumbnail(SIZE)
        canvas = Picture.new("RGB", SIZE, (128, 128, 128))
        canvas.paste(picture, ((SIZE[0] - picture.width) // 2, (SIZE[1] - picture.height) // 2))
        out.append((np.asarray(canvas, dtype=np.int16), round(float(seconds) * FPS)))
    return out


def main(model: str, parts: list[str]) -> None:
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    noise = np.random.default_rng(18)
    frames = []
    landmarker = vision.PoseLandmarker.create_from_options(options)
    try:
        n = 0
        for pixels, count in scene(parts):
            for _ in range(count):
                grainy = np.clip(pixels + noise.normal(0, 3, pixels.shape), 0, 255).astype(np.uint8)
                t = round(n * 1000 / FPS)
                result = landmarker.detect_for_video(
                    Image(image_format=ImageFormat.SRGB, data=np.ascontiguousarray(grainy)), t
                )
                frame: dict[str, object] = {"t": t}
                if result.pose_landmarks:
                    frame["image"] = [
                        [p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks[0]
                    ]
                    # With the image points' visibility, as static/player/camera.js hands them.
                    frame["world"] = [
                        [p.x, p.y, p.z, seen.visibility]
                        for p, seen in zip(
                            result.pose_world_landmarks[0], result.pose_landmarks[0], strict=True
                        )
                    ]
                frames.append(frame)
                n += 1
    finally:
        landmarker.close()
    print(json.dumps(frames))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
