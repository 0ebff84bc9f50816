// The camera scanner: the environment-facing camera into a <video>, a few frames a second drawn onto a canvas and read
// by jsQR (/vendor/jsqr/jsQR.js, a classic script that sets window.jsQR).
const FRAMES_PER_SECOND = 4;
// Frames are scaled down to this width before decoding: a ticket held up to a desk camera still has big modules, and
// smaller frames keep a phone cool.
const DECODE_WIDTH = 800;

export class CameraScanner {
  /** video: the <video> to show; onCode(text) is called for every frame that holds a QR code. */
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.canvas = document.createElement('canvas');
    this.context = this.canvas.getContext('2d', { willReadFrequently: true });
    this.stream = null;
    this.timer = null;
  }

  get running() {
    return this.stream !== null;
  }

  /** Starts the camera; throws the browser's error (NotAllowedError, NotFoundError, …) when there is none to use. */
  async start() {
    if (this.running) return;
    if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no camera API'), { name: 'NotSupportedError' });
    this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    this.timer = setInterval(() => this.decodeFrame(), 1000 / FRAMES_PER_SECOND);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
  }

  decodeFrame() {
    const { video } = this;
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.videoWidth || !window.jsQR) return;
    const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    this.context.drawImage(video, 0, 0, width, height);
    const image = this.context.getImageData(0, 0, width, height);
    const found = window.jsQR(image.data, width, height, { inversionAttempts: 'dontInvert' });
    if (found?.data) this.onCode(found.data);
  }
}
