"""Build the camera coach's files from registry packages: `make install` runs it.

OUT_DIR gets what the browser loads when a patient turns the camera on, served at /coach/
(backstretch/core/coach_files.py; nothing is fetched from anywhere else, ever), each file with
a gzip copy beside it for browsers that take one:

* ``models/pose_landmarker_lite.task``: the pose model, built here (below);
* ``tasks-vision/``: MediaPipe's browser runtime (@mediapipe/tasks-vision, pinned), its module
  and the two WebAssembly builds it chooses between (with and without SIMD);
* ``NOTICE`` and ``LICENSE``: the model's and runtime's licence (Apache-2.0) and what we changed.

The model is Google's BlazePose GHUM 3D (Apache-2.0). Its landmark and detector networks come
from the npm package @mediapipe/pose (pinned in package.json and package-lock.json). MediaPipe's
newer "Tasks" runtime, which the browser (@mediapipe/tasks-vision) and the tests (mediapipe
0.10.30, requirements-pose.lock) both run, wants them as one `.task` file: a zip of the two
networks, each carrying TFLite metadata that says how its input image is scaled. We add that
metadata with mediapipe's own metadata writer and zip the two with fixed dates, so the output is
the same bytes on every machine; the file's SHA-256 is pinned below and checked.

mediapipe 0.10.30's metadata writer imports one compiled helper that its wheel lacks: the
function that works out the oldest metadata parser able to read what was written. What we
write (a name, a description, image input with normalisation, plain feature outputs) needs
only parser version 1.0.0, the first; we give the writer that answer. The pinned hash is that
of the same build with mediapipe 0.10.21, whose wheel has the helper: the bytes are equal.

Usage: python scripts/build-pose-model.py NODE_MODULES OUT_DIR
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import os
import shutil
import sys
import types
import zipfile
from pathlib import Path

VARIANT = "lite"  # 5.8 MB; quick enough on a phone's CPU (MOTION-COACH.md measured ~20 fps)
EXPECTED_SHA256 = "4a097b9587a014ac843f4e4eb7269a78f80bf2c22f7ccf9a2a79912a6fd24045"
# The pose detector sits at the start of the package's packed assets (its own loader's manifest
# gives this length); a TFLite file says "TFL3" at bytes 4 to 8.
DETECTOR_BYTES = 2_962_288
# How each network wants its input scaled: (pixel - mean) / std.
DETECTOR_SCALE = (127.5, 127.5)  # to [-1, 1]
LANDMARKS_SCALE = (0.0, 255.0)  # to [0, 1]
DESCRIPTION = "BlazePose GHUM 3D (Apache-2.0), rebuilt from @mediapipe/pose"


def _supply_parser_version() -> None:
    name = "mediapipe.tasks.cc.metadata.python"
    helper = types.ModuleType(f"{name}._pywrap_metadata_version")
    helper.GetMinimumMetadataParserVersion = lambda metadata: "1.0.0"  # type: ignore[attr-defined]
    for part in ("mediapipe.tasks.cc", "mediapipe.tasks.cc.metadata", name):
        sys.modules.setdefault(part, types.ModuleType(part))
    sys.modules[helper.__name__] = helper
    sys.modules[name]._pywrap_metadata_version = helper  # type: ignore[attr-defined]


def with_metadata(network: bytes, name: str, scale: tuple[float, float]) -> bytes:
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

    buffer = bytearray(network)
    writer = metadata_writer.MetadataWriter.create(buffer).add_general_info(name, DESCRIPTION)
    writer = writer.add_image_input(norm_mean=[scale[0]], norm_std=[scale[1]])
    for _output in writer_utils.get_output_tensor_types(buffer):
        writer = writer.add_feature_output()
    try:
        return bytes(writer.populate()[0])
    finally:
        writer._temp_folder.cleanup()  # its __del__ would, but see the end of this script


RUNTIME_FILES = (
    "vision_bundle.mjs",
    "wasm/vision_wasm_internal.js",
    "wasm/vision_wasm_internal.wasm",
    "wasm/vision_wasm_nosimd_internal.js",
    "wasm/vision_wasm_nosimd_internal.wasm",
)
NOTICE = """The camera coach's pose model and browser runtime

models/pose_landmarker_lite.task: BlazePose GHUM 3D models, copyright Google LLC, licensed under
the Apache License, Version 2.0 (LICENSE). Taken from the npm package @mediapipe/pose
0.5.1675469404; changed by Backstretch: TFLite metadata saying how each network scales its input
image was added to the detector and to the lite landmark network, and the two were put in one
zip file (scripts/build-pose-model.py).

tasks-vision/: MediaPipe Tasks Vision, copyright Google LLC, licensed under the Apache License,
Version 2.0 (LICENSE); the npm package @mediapipe/tasks-vision 0.10.35, unchanged.
"""


def apache_licence() -> str:
    """The Apache-2.0 text, as mediapipe's own wheel carries it."""
    files = importlib.metadata.files("mediapipe") or []
    for file in files:
        if file.name.upper().startswith("LICENSE") and "dist-info" in str(file.parent):
            return file.read_text()
    raise SystemExit("mediapipe's wheel carries no LICENSE file: cannot write the coach's licence")


def copy_runtime(node_modules: Path, out_dir: Path) -> None:
    package = node_modules / "@mediapipe" / "tasks-vision"
    for name in RUNTIME_FILES:
        target = out_dir / "tasks-vision" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / name, target)
    (out_dir / "NOTICE").write_text(NOTICE)
    (out_dir / "LICENSE").write_text(apache_licence())


def compress(out_dir: Path) -> None:
    """A .gz beside each file, with no name or time inside, so the same bytes every build."""
    for path in sorted(out_dir.rglob("*")):
        if path.is_file() and path.suffix not in (".gz", ".built"):
            packed = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            path.with_name(path.name + ".gz").write_bytes(packed)


def build(node_modules: Path, out_dir: Path) -> Path:
    package = node_modules / "@mediapipe" / "pose"
    detector = (package / "pose_solution_packed_assets.data").read_bytes()[:DETECTOR_BYTES]
    if detector[4:8] != b"TFL3":
        raise SystemExit(f"{package}: the pose detector is not where it was expected")
    landmarks = (package / f"pose_landmark_{VARIANT}.tflite").read_bytes()
    _supply_parser_version()
    parts = (
        ("pose_detector.tflite", with_metadata(detector, "pose_detector", DETECTOR_SCALE)),
        (
            "pose_landmarks_detector.tflite",
            with_metadata(landmarks, "pose_landmarks_detector", LANDMARKS_SCALE),
        ),
    )
    (out_dir / "models").mkdir(parents=True, exist_ok=True)
    target = out_dir / "models" / f"pose_landmarker_{VARIANT}.task"
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as bundle:
        for name, data in parts:
            bundle.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    digest = hashlib.sha256(partial.read_bytes()).hexdigest()
    if digest != EXPECTED_SHA256:
        partial.unlink()
        raise SystemExit(
            f"the pose model built to SHA-256 {digest}, not the pinned {EXPECTED_SHA256}: "
            "check the versions of @mediapipe/pose (package-lock.json) and mediapipe "
            "(requirements-pose.lock)"
        )
    partial.replace(target)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.strip().splitlines()[-1])
    made = build(Path(sys.argv[1]), Path(sys.argv[2]))
    copy_runtime(Path(sys.argv[1]), Path(sys.argv[2]))
    compress(Path(sys.argv[2]))
    print(f"pose model: {made} ({made.stat().st_size:,} bytes, SHA-256 checked)", flush=True)
    # mediapipe's metadata writers stay referenced (from a traceback of an import they tried)
    # until the interpreter exits, when their __del__ fails noisily on modules already torn
    # down. Their temporary folders are gone (above): leave without running it.
    os._exit(0)
