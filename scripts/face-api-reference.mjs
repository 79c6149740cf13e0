// Reference outputs of the face-api networks, computed with TensorFlow.js, for the Java ports' tests.
//
// Writes src/test/resources/perception/face-api-reference.json:
//  - "mobilenet_conv5": MobileNetV1 up to conv_5 (before its ReLU6) written here with tfjs ops, so
//    TensorFlow's own "same" padding and filter layouts are the reference, on a fixed 32x32 input.
// The inputs follow pattern() below, which the Java test reproduces.
//
// Usage (a scratch folder; nothing of this is part of the build):
//   npm install @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 @vladmandic/face-api@1.7.15
//   cp <repo>/scripts/face-api-reference.mjs . && node face-api-reference.mjs <repo>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// CommonJS builds: tfjs's ESM build does not resolve under plain Node.
const require = createRequire(path.join(process.cwd(), 'noop.js'));
const tf = require('@tensorflow/tfjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const repo = process.argv[2] || '.';
const modelDir = path.join(repo, 'assets', 'models', 'face-api');

/** RGB in [-1,1], channel-last (H,W,3): 0.9 sin(0.13 (x+1)(c+1) + 0.29 y + 0.5 c) cos(0.07 (x - y)). */
function pattern(size) {
  const v = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        v[(y * size + x) * 3 + c] = 0.9 * Math.sin(0.13 * (x + 1) * (c + 1) + 0.29 * y + 0.5 * c) * Math.cos(0.07 * (x - y));
      }
    }
  }
  return v;
}

async function weightMap(name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, `${name}-weights_manifest.json`), 'utf8'));
  const map = {};
  for (const group of manifest) {
    const buffers = group.paths.map((p) => fs.readFileSync(path.join(modelDir, p)));
    const data = Buffer.concat(buffers);
    const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    Object.assign(map, tf.io.decodeWeights(ab, group.weights));
  }
  return map;
}

function mobilenetConv5(w, x) {
  const p = (s) => w[`MobilenetV1/Conv2d_${s}`];
  let out = tf.clipByValue(tf.add(tf.conv2d(x, p('0_pointwise/weights'), 2, 'same'), p('0_pointwise/convolution_bn_offset')), 0, 6);
  for (let i = 1; i <= 5; i++) {
    const stride = [2, 4, 6, 12].includes(i) ? 2 : 1;
    let d = tf.depthwiseConv2d(out, p(`${i}_depthwise/depthwise_weights`), stride, 'same');
    d = tf.batchNorm(d, p(`${i}_depthwise/BatchNorm/moving_mean`), p(`${i}_depthwise/BatchNorm/moving_variance`),
      p(`${i}_depthwise/BatchNorm/beta`), p(`${i}_depthwise/BatchNorm/gamma`), 0.0010000000474974513);
    d = tf.clipByValue(d, 0, 6);
    out = tf.add(tf.conv2d(d, p(`${i}_pointwise/weights`), 1, 'same'), p(`${i}_pointwise/convolution_bn_offset`));
    if (i < 5) out = tf.clipByValue(out, 0, 6);
  }
  return out; // (1,h,w,256) NHWC
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();

  const mSize = 32;
  const mIn = tf.tensor4d(pattern(mSize), [1, mSize, mSize, 3]);
  const conv5 = mobilenetConv5(await weightMap('ssd_mobilenetv1_model'), mIn);
  const conv5Nchw = Array.from(await tf.transpose(conv5, [0, 3, 1, 2]).data());

  const out = {
    tfjs: tf.version.tfjs,
    face_api: faceapi.version,
    mobilenet_input_size: mSize,
    mobilenet_conv5_shape: [1, 256, conv5.shape[1], conv5.shape[2]],
    mobilenet_conv5: conv5Nchw.map((v) => Number(v.toPrecision(7))),
  };
  const target = path.join(repo, 'src', 'test', 'resources', 'perception', 'face-api-reference.json');
  fs.writeFileSync(target, JSON.stringify(out));
  console.log('wrote', target, 'conv5', out.mobilenet_conv5_shape);
}

main();
