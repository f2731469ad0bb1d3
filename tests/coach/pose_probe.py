"""Run the camera coach's pose model (build/coach/models/, made by `make install`) on image
files with mediapipe's Python runtime, the same model file the browser loads; print what it
found as JSON. Run as a program, so that a test can run it with no network at all."""

from __future__ import annotations

import json
import os
import sys

import numpy as np
from mediapipe import Image, ImageFormat
from mediapipe.tasks.python import BaseOptions, vision
from PIL import Image as Picture


def found(landmarker: vision.PoseLandmarker, path: str) -> dict[str, object]:
    pixels = np.asarray(Picture.open(path).convert("RGB"))
    result = landmarker.detect(Image(image_format=ImageFormat.SRGB, data=pixels))
    people = [
        {
            "image": [[p.x, p.y, p.z, p.visibility] for p in pose],
            "world": [[p.x, p.y, p.z] for p in world],
        }
        for pose, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
    ]
    return {"file": os.path.basename(path), "people": people}


def main(model: str, paths: list[str]) -> None:
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model),
        running_mode=vision.RunningMode.IMAGE,
    )
    landmarker = vision.PoseLandmarker.create_from_options(options)
    try:
        print(json.dumps([found(landmarker, path) for path in paths]))
    finally:
        landmarker.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
