// The camera coach's eyes: the phone's camera and the pose model, all on the device. Frames go
// from the camera to MediaPipe's pose landmarker (WebAssembly, from our own /coach/ files, see
// scripts/build-pose-model.py) and each frame's 33 body points go to the caller; no picture
// leaves the phone, and nothing is fetched from anywhere but this site. The runtime and the
// model (about 9 MB compressed) load only when the camera is turned on.

const RUNTIME = "/coach/tasks-vision";
const MODEL = "/coach/models/pose_landmarker_lite.task";

// The model runs on the graphics chip where there is one; a browser that draws WebGL in
// software (no GPU, or a blocked one) runs it far faster on the CPU, as WebAssembly.
function realGpu() {
  const gl = document.createElement("canvas").getContext("webgl2");
  if (!gl) return false;
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  return !/swiftshader|llvmpipe|software/i.test(renderer);
}

async function landmarker() {
  const { FilesetResolver, PoseLandmarker } = await import(`${RUNTIME}/vision_bundle.mjs`);
  const files = await FilesetResolver.forVisionTasks(`${RUNTIME}/wasm`);
  const options = (delegate) => ({
    baseOptions: { modelAssetPath: MODEL, delegate },
    runningMode: "VIDEO",
    numPoses: 1,
  });
  if (realGpu()) {
    try {
      return await PoseLandmarker.createFromOptions(files, options("GPU"));
    } catch {
      // the GPU refused the model: the CPU below
    }
  }
  return PoseLandmarker.createFromOptions(files, options("CPU"));
}

function points(result) {
  const image = result.landmarks?.[0];
  if (!image) return null;
  const world = result.worldLandmarks?.[0] ?? [];
  return {
    image: image.map((p) => [p.x, p.y, p.z, p.visibility ?? 0]),
    // The world points carry the visibility of their image points: the coach reads it to
    // tell a body part hidden from the camera from one in view.
    world: world.map((p, i) => [p.x, p.y, p.z, p.visibility ?? image[i]?.visibility ?? 0]),
  };
}

/**
 * Turn the camera on and watch: ``onFrame({t, pose})`` for each frame the model looked at,
 * ``t`` in milliseconds (the video's own clock) and ``pose`` null when nobody is seen.
 * Resolves to ``{stop()}`` once frames flow; rejects (camera refused or missing, model not
 * built on this server) with the browser's error, for the player to explain.
 */
export async function watch(video, onFrame) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
    audio: false,
  });
  let model;
  try {
    model = await landmarker();
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    throw error;
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  let running = true;
  let last = -1;
  const look = () => {
    if (!running) return;
    const t = video.currentTime * 1000;
    if (t > last && video.readyState >= 2) {
      last = t;
      onFrame({ t, pose: points(model.detectForVideo(video, t)) });
    }
    video.requestVideoFrameCallback(look);
  };
  video.requestVideoFrameCallback(look);
  return {
    stop() {
      running = false;
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
      model.close();
    },
  };
}
