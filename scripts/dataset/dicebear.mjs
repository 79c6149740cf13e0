// Writes seeded DiceBear avatars as SVG, one folder for all styles, for every 'dicebear' row of SOURCES.tsv.
// Usage: (cd FOLDER_WITH_node_modules && node dicebear.mjs SOURCES.tsv OUT_DIR); @dicebear/* resolve from the cwd.
// Deterministic: the seed and every option come from a PRNG seeded by the row id and the index.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const [sourcesPath, outDir] = process.argv.slice(2);
const require = createRequire(join(process.cwd(), 'package.json'));
const { createAvatar } = require('@dicebear/core');

// Flat frame colours (same spirit as the Open Clip Art frames in dataset.py).
const BACKGROUNDS = ['b6e3f4', 'c0aede', 'd1d4f9', 'ffd5dc', 'ffdfbf', 'fff4b3', 'c9f2c7', 'a7e8e0',
  'f4a259', '5b8e7d', 'bc4b51', '8cb369', '3d5a80', 'ee6c4d', '293241', 'e0fbfc',
  'f6bd60', '84a59d', 'f28482', '9d4edd', 'ffffff', 'e9ecef', '4a4e69', '22223b'];
// Human skin tones only: the generator should not learn to paint faces yellow or orange.
const SKIN = ['ffdbb4', 'edb98a', 'd08b5b', 'ae5d29', '614335', 'ffe0bd', 'c68642', '8d5524', 'f1c27d', 'e0ac69'];
const HAIR = ['000000', '2c1b18', '4a312c', '724133', 'a55728', 'b58143', 'd6b370', 'e8e1e1', 'c93305', '6a4e9b', '2f6f8f'];

// mulberry32: a tiny, well-known 32-bit PRNG, so the same row and index always give the same avatar.
function prng(seedText) {
  let h = 1779033703 ^ seedText.length;
  for (let i = 0; i < seedText.length; i++) {
    h = Math.imul(h ^ seedText.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

// Per-style colour options: lorelei is line art whose skin and hair colours we vary;
// notionists has fixed colours; open-peeps varies skin, hair and clothes from its own defaults.
function styleOptions(style, rnd) {
  if (style === 'lorelei') {
    const hair = pick(rnd, HAIR);
    return { skinColor: [pick(rnd, SKIN)], hairColor: [hair], eyebrowsColor: [hair] };
  }
  if (style === 'open-peeps') {
    // No masks: a mask hides the face the generator is meant to learn.
    return { skinColor: [pick(rnd, SKIN)], headContrastColor: [pick(rnd, HAIR)], maskProbability: 0 };
  }
  return {};
}

const rows = readFileSync(sourcesPath, 'utf8').trim().split('\n').map((l) => l.split('\t'));
const header = rows.shift();
const col = (row, name) => row[header.indexOf(name)];
mkdirSync(outDir, { recursive: true });
for (const row of rows) {
  if (col(row, 'kind') !== 'dicebear') continue;
  const id = col(row, 'id');
  const pkg = col(row, 'package');
  const style = require(pkg);
  const count = parseInt(col(row, 'param'), 10);
  for (let i = 0; i < count; i++) {
    const rnd = prng(`${id}-${i}`);
    const options = {
      seed: `facetoon-${id}-${i}`,
      backgroundColor: [pick(rnd, BACKGROUNDS)],
      backgroundType: ['solid'],
      flip: rnd() < 0.5,
      scale: 80 + Math.floor(rnd() * 25),
      translateY: Math.floor(rnd() * 9) - 4,
      ...styleOptions(pkg.split('/')[1], rnd),
    };
    const svg = createAvatar(style, options).toString();
    writeFileSync(join(outDir, `${id}_${String(i).padStart(4, '0')}.svg`), svg);
  }
  console.log(`dicebear: ${id} -> ${count} SVGs`);
}
