"""The camera coach's files are served from our own origin, at /coach/, as built."""

from __future__ import annotations

import gzip

from django.conf import settings


def test_the_pose_model_and_runtime_are_served_from_our_origin(client):
    model = settings.COACH_FILES / "models" / "pose_landmarker_lite.task"
    answer = client.get("/coach/models/pose_landmarker_lite.task")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == model.read_bytes()
    packed = client.get(
        "/coach/tasks-vision/wasm/vision_wasm_internal.wasm", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert packed.status_code == 200 and packed["Content-Encoding"] == "gzip"
    wasm = gzip.decompress(b"".join(packed.streaming_content))
    assert wasm[:4] == b"\0asm"
    assert "max-age=86400" in packed["Cache-Control"]
    assert "Content-Security-Policy" not in packed  # a file, not a page
    assert client.get("/coach/tasks-vision/vision_bundle.mjs").status_code == 200
    assert client.get("/coach/NOTICE").status_code == 200


def test_anything_else_under_coach_is_the_sites_own_404(client, db):
    answer = client.get("/coach/models/other.task")
    assert answer.status_code == 404
    assert b"<main" in answer.content  # our page, not a bare error


def test_only_the_player_may_compile_webassembly_and_no_page_may_eval(client, patient):
    from tests.cast import cleared

    client.force_login(cleared(patient))
    player = client.get("/today/play/")["Content-Security-Policy"]
    today = client.get("/today/")["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in player
    assert "'wasm-unsafe-eval'" not in today
    assert "'unsafe-eval'" not in player and "'unsafe-eval'" not in today
