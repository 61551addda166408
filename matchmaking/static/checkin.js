// The check-in scan page: reads badges' QR codes with the camera (getUserMedia, each frame through
// jsQR) or from a photo, posts the code (with the page's CSRF token) and shows who was checked in.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-scanner]");
  if (!box || typeof jsQR !== "function") return;
  const form = box.querySelector("[data-scan-form]");
  const result = box.querySelector("[data-scan-result]");
  const video = box.querySelector("video");
  const cameraButton = box.querySelector("[data-camera]");
  const photo = box.querySelector("[data-photo]");
  const progress = document.querySelector("[data-progress]");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let stream = null;
  let busy = false;
  let last = "";
  let lastAt = 0;

  function show(kind, message, answer) {
    result.className = `scan-result ${kind}`;
    result.replaceChildren();
    if (answer && answer.name) {
      const who = document.createElement("p");
      who.className = "who";
      who.textContent = answer.name;
      const org = document.createElement("p");
      org.textContent = `${answer.organisation} (${answer.country})`;
      result.append(who, org);
    }
    const said = document.createElement("p");
    said.textContent = message;
    result.append(said);
  }

  async function send(code) {
    // The camera sees the same badge many times a second: send it once, and again only after a pause.
    if (busy || (code === last && Date.now() - lastAt < 4000)) return;
    busy = true;
    last = code;
    lastAt = Date.now();
    const data = new FormData(form);
    data.set("code", code);
    try {
      const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                                   headers: { Accept: "application/json" } });
      if (response.status === 404) {
        show("error", box.dataset.notFound);
      } else {
        const answer = await response.json();
        show(!answer.ok ? "error" : answer.already ? "already" : "ok", answer.message, answer);
        if (answer.progress && progress) progress.textContent = answer.progress;
      }
    } catch (error) {
      show("error", box.dataset.failed);
    } finally {
      busy = false;
    }
  }

  function decode(source, width, height) {
    const scale = Math.min(1, 1200 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
  }

  let decodedAt = 0;

  function frame(now) {
    if (!stream) return;
    // Five looks a second are enough to catch a badge held up, and leave a phone's processor some rest.
    if (now - decodedAt >= 200 && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      decodedAt = now;
      const code = decode(video, video.videoWidth, video.videoHeight);
      if (code && code.data) send(code.data);
    }
    requestAnimationFrame(frame);
  }

  cameraButton.addEventListener("click", async () => {
    if (stream) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      show("error", box.dataset.noCamera);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    requestAnimationFrame(frame);
  });

  photo.addEventListener("change", async () => {
    const file = photo.files[0];
    if (!file) return;
    let code = null;
    try {
      const bitmap = await createImageBitmap(file);
      code = decode(bitmap, bitmap.width, bitmap.height);
      bitmap.close();
    } catch (error) {
      code = null;
    }
    photo.value = "";
    if (code && code.data) {
      last = "";  // a photo is always sent, even of the badge scanned just before
      send(code.data);
    } else {
      show("error", box.dataset.unreadable);
    }
  });
});
