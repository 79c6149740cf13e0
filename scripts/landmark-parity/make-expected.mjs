// Runs the 68-point landmark net of @vladmandic/face-api (its own JavaScript model, tfjs pure-JS cpu backend)
// on the 112x112 PNG fixtures and writes the points the Java port must reproduce.
//
// Usage: scripts/landmark-parity/run.sh   (installs the pinned packages into a temp folder, then runs this file)
//        node make-expected.mjs REPO_ROOT (from a folder where the packages are installed)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');
// The package's CommonJS build for plain tfjs (it registers the wasm backend too; we select the pure-JS cpu one).
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const repo = path.resolve(process.argv[2] ?? '.');
const fixtures = path.join(repo, 'src/test/resources/landmarks');
const models = path.join(repo, 'assets/models/face-api');
const FILES = ['astronaut-face-112.png', 'astronaut-mirrored-rotated-112.png', 'camera-face-112.png'];

await tf.setBackend('cpu');
await tf.ready();

// Load the shipped weights (the same files the Java side reads) through the package's own loader.
function load(model) {
  const manifest = JSON.parse(fs.readFileSync(path.join(models, `${model}-weights_manifest.json`), 'utf8'));
  const data = Buffer.concat(manifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(models, p))));
  return tf.io.decodeWeights(new Uint8Array(data).buffer, manifest.flatMap((g) => g.weights));
}
const net = new faceapi.FaceLandmark68Net();
net.loadFromWeightMap(load('face_landmark_68_model'));

const out = {
  generator: 'scripts/landmark-parity/make-expected.mjs',
  package: '@vladmandic/face-api@1.7.15',
  tfjs: `${tf.version.tfjs} (backend ${tf.getBackend()})`,
  note: 'points as (x,y) in [0,1] of the 112x112 input, in the iBUG 68-point order',
  faces: {},
};
for (const file of FILES) {
  const png = PNG.sync.read(fs.readFileSync(path.join(fixtures, file)));
  if (png.width !== 112 || png.height !== 112) throw new Error(`${file}: expected 112x112, got ${png.width}x${png.height}`);
  const rgb = new Int32Array(112 * 112 * 3);
  for (let i = 0; i < 112 * 112; i++) {
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = png.data[4 * i + c];
  }
  const input = tf.tensor3d(rgb, [112, 112, 3], 'int32');
  const result = await net.forward(input); // (1,136) interleaved x,y relative to the input
  const flat = Array.from(await result.data());
  input.dispose();
  result.dispose();
  const points = [];
  for (let i = 0; i < 68; i++) points.push([flat[2 * i], flat[2 * i + 1]]);
  out.faces[file] = points;
  console.log(`${file}: point 30 (nose tip) at ${(points[30][0] * 112).toFixed(2)}, ${(points[30][1] * 112).toFixed(2)} px`);
}
// The package's whole pipeline on the full astronaut photo (its tiny face detector, then the landmark net on the
// detected box): a reference for the Java detector + crop + net, which uses another detector and its own framing.
const detector = new faceapi.TinyFaceDetector();
detector.loadFromWeightMap(load('tiny_face_detector_model'));
faceapi.nets.faceLandmark68Net.loadFromWeightMap(load('face_landmark_68_model'));
{
  const png = PNG.sync.read(fs.readFileSync(path.join(repo, 'src/test/resources/faces/astronaut.png')));
  const rgb = new Int32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = png.data[4 * i + c];
  }
  const input = tf.tensor3d(rgb, [png.height, png.width, 3], 'int32');
  const boxes = await detector.locateFaces(input, new faceapi.TinyFaceDetectorOptions());
  const best = boxes.reduce((a, b) => (b.score > a.score ? b : a));
  const faces = await faceapi.extractFaceTensors(input, [best]);
  const marks = await faceapi.nets.faceLandmark68Net.detectLandmarks(faces[0]);
  const { x, y } = best.box.clipAtImageBorders(png.width, png.height);
  out.pipeline = {
    image: 'faces/astronaut.png',
    box: [x, y, best.box.width, best.box.height].map((v) => +v.toFixed(2)),
    points: marks.positions.map((p) => [+(p.x + x).toFixed(3), +(p.y + y).toFixed(3)]),
  };
  faces.forEach((f) => f.dispose());
  input.dispose();
  console.log(`astronaut.png pipeline: box ${out.pipeline.box}`);
}
const dest = path.join(fixtures, 'expected.json');
// One point per line keeps the file short and its diffs readable.
const faces = Object.entries(out.faces).map(([name, pts]) =>
  `  ${JSON.stringify(name)}: [\n${pts.map((p) => `   ${JSON.stringify(p)}`).join(',\n')}\n  ]`).join(',\n');
const head = JSON.stringify({ ...out, faces: undefined, pipeline: undefined }, null, 1).replace(/\n}$/, '');
const pipe = `  "image": ${JSON.stringify(out.pipeline.image)},\n  "box": ${JSON.stringify(out.pipeline.box)},\n`
  + `  "points": [\n${out.pipeline.points.map((p) => `   ${JSON.stringify(p)}`).join(',\n')}\n  ]`;
fs.writeFileSync(dest, `${head},\n "faces": {\n${faces}\n },\n "pipeline": {\n${pipe}\n }\n}\n`);
console.log(`wrote ${dest}`);
