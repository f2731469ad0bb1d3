"""A video for Chromium's fake camera (``--use-file-for-fake-video-capture``), made from a
photograph of a person in Debian's opencv-doc: the camera test and the camera benchmark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

PHOTO = Path("/usr/share/doc/opencv-doc/examples/data/basketball1.png")


def video_of(photo: Path, path: Path, frames: int = 30) -> Path:
    """A YUV4MPEG2 file (Chromium's fake camera plays it in a loop): ``frames`` frames of
    the photograph, 4:2:0, in grey (Y is the photo's brightness; U and V stay neutral)."""
    assert photo.is_file(), f"{photo} missing: apt-get install opencv-doc (.ci/run does)"
    grey = np.asarray(Image.open(photo).convert("L"))
    height, width = grey.shape
    neutral = np.full((height // 2) * (width // 2), 128, dtype=np.uint8).tobytes()
    frame = b"FRAME\n" + grey.tobytes() + neutral + neutral
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)
    return path


def camera_args(video: Path) -> list[str]:
    """Chromium's flags for a camera that plays ``video``, allowed without asking."""
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


# Turns the camera on in a page of the player (static/player/camera.js) and keeps each frame.
WATCH = """async () => {
  const { watch } = await import("/static/player/camera.js");
  const video = document.createElement("video");
  document.body.append(video);
  window.__frames = [];
  window.__camera = await watch(video, (frame) => window.__frames.push(frame));
}"""
