"""A video for Chromium's fake camera (``--use-file-for-fake-video-capture``), made from a
photograph of a person in Debian's opencv-doc: the camera test and the camera benchmark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

PHOTO = Path("/usr/share/doc/opencv-doc/examples/data/basketball1.png")
SIZE = (640, 480)


def video_of(photo: Path, path: Path, frames: int = 30) -> Path:
    """A YUV4MPEG2 file (Chromium's fake camera plays it in a loop): ``frames`` frames of
    the photograph, in colour (4:2:0), in the middle of a 640×480 picture (what camera.js asks
    the camera for, so the fake camera need not scale it) on mid grey."""
    assert photo.is_file(), f"{photo} missing: apt-get install opencv-doc (.ci/run does)"
    picture = Image.open(photo).convert("RGB")
    picture.thumbnail(SIZE)
    canvas = Image.new("RGB", SIZE, (128, 128, 128))
    canvas.paste(picture, ((SIZE[0] - picture.width) // 2, (SIZE[1] - picture.height) // 2))
    y, u, v = (np.asarray(band) for band in canvas.convert("YCbCr").split())
    half = (SIZE[0] // 2, SIZE[1] // 2)
    u, v = (np.asarray(Image.fromarray(c).resize(half, Image.Resampling.BOX)) for c in (u, v))
    frame = b"FRAME\n" + y.tobytes() + u.tobytes() + v.tobytes()
    header = f"YUV4MPEG2 W{SIZE[0]} H{SIZE[1]} F30:1 Ip A1:1 C420jpeg\n".encode()
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
