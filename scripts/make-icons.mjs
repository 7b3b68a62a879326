#!/usr/bin/env node
// Draws Porthole's tray and app icons from code, so they can be regenerated
// and reviewed as a diff instead of as opaque binaries.
//
//   node scripts/make-icons.mjs           write assets/
//   node scripts/make-icons.mjs --check   exit 1 if assets/ differs from what
//                                         this script draws (pixel data, not
//                                         deflate bytes, which vary by zlib)
//
// Tray icons, one per aggregate state (idle, running, changing, failed):
//   assets/tray/<state>-light.png   dark ink, for light panels and menu bars
//   assets/tray/<state>-dark.png    light ink, for dark panels and menu bars
//   assets/tray/<state>Template.png black + alpha; macOS recolours it itself
// each with an @2x twin. A template image cannot carry colour, so every state
// also has its own shape: idle a small dot, running a filled pane, changing a
// level bar, failed a slash across the ring.
//
// App icon: assets/icon.png (512), assets/icon.icns and assets/icon.ico, the
// last two as containers of PNG images of the same drawing.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const assetsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

// ---- drawing: shapes are signed distance functions in unit coordinates ----

// Math.hypot is exact for huge inputs at several times the cost; these are all < 2.
const distance = (dx, dy) => Math.sqrt(dx * dx + dy * dy);

const circle = (cx, cy, r) => (x, y) => distance(x - cx, y - cy) - r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(distance(x - cx, y - cy) - r) - width / 2;
const capsule = (ax, ay, bx, by, r) => (x, y) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return distance(x - ax - t * dx, y - ay - t * dy) - r;
};
const roundedSquare = (cx, cy, half, radius) => (x, y) => {
  const qx = Math.abs(x - cx) - half + radius;
  const qy = Math.abs(y - cy) - half + radius;
  return distance(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
};
const union = (...shapes) => (x, y) => {
  let nearest = Infinity;
  for (const shape of shapes) nearest = Math.min(nearest, shape(x, y));
  return nearest;
};

const hex = (value, alpha = 1) => [
  parseInt(value.slice(1, 3), 16) / 255,
  parseInt(value.slice(3, 5), 16) / 255,
  parseInt(value.slice(5, 7), 16) / 255,
  alpha,
];
const mix = (a, b, t) => a.map((channel, i) => channel + (b[i] - channel) * t);
const vertical = (top, bottom, y0, y1) => (_x, y) =>
  mix(top, bottom, Math.max(0, Math.min(1, (y - y0) / (y1 - y0))));

/**
 * Renders layers of { shape, paint } with one pixel of analytic antialiasing,
 * composited with straight-alpha "over", into 8-bit RGBA.
 */
function render(size, layers) {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const { shape, paint } of layers) {
        const coverage = Math.max(0, Math.min(1, 0.5 - shape(x, y) * size));
        if (coverage === 0) continue;
        const colour = typeof paint === 'function' ? paint(x, y) : paint;
        const layerA = colour[3] * coverage;
        const outA = layerA + a * (1 - layerA);
        const keep = a * (1 - layerA);
        r = (colour[0] * layerA + r * keep) / outA;
        g = (colour[1] * layerA + g * keep) / outA;
        b = (colour[2] * layerA + b * keep) / outA;
        a = outA;
      }
      const at = (py * size + px) * 4;
      rgba[at] = Math.round(r * 255);
      rgba[at + 1] = Math.round(g * 255);
      rgba[at + 2] = Math.round(b * 255);
      rgba[at + 3] = Math.round(a * 255);
    }
  }
  return { size, rgba };
}

// ---- tray icons ----

const STATES = ['idle', 'running', 'changing', 'failed'];

const marks = {
  idle: circle(0.5, 0.5, 0.1),
  running: circle(0.5, 0.5, 0.21),
  changing: capsule(0.31, 0.5, 0.69, 0.5, 0.085),
  failed: capsule(0.24, 0.24, 0.76, 0.76, 0.075),
};

const INK = {
  light: { ring: hex('#1f2328'), idle: '#6e7781', running: '#1a7f37', changing: '#9a6700', failed: '#cf222e' },
  dark: { ring: hex('#f0f3f6'), idle: '#9198a1', running: '#3fb950', changing: '#d29922', failed: '#f85149' },
};

function trayIcon(state, variant, size) {
  const bezel = ring(0.5, 0.5, 0.4, 0.12);
  if (variant === 'Template') {
    const black = hex('#000000');
    return render(size, [{ shape: union(bezel, marks[state]), paint: black }]);
  }
  const ink = INK[variant];
  return render(size, [
    { shape: bezel, paint: ink.ring },
    { shape: marks[state], paint: hex(ink[state]) },
  ]);
}

// ---- app icon: a brass porthole on a navy tile, a prompt behind the glass ----

function appIcon(size) {
  const rivets = Array.from({ length: 8 }, (_, i) => {
    const angle = (i * Math.PI) / 4 + Math.PI / 8;
    return circle(0.5 + 0.285 * Math.cos(angle), 0.5 + 0.285 * Math.sin(angle), 0.019);
  });
  return render(size, [
    { shape: roundedSquare(0.5, 0.5, 0.41, 0.09), paint: vertical(hex('#13315c'), hex('#0b2545'), 0.09, 0.91) },
    { shape: circle(0.5, 0.52, 0.34), paint: hex('#000000', 0.25) },
    { shape: ring(0.5, 0.5, 0.285, 0.1), paint: vertical(hex('#e3b65c'), hex('#a8742a'), 0.18, 0.82) },
    { shape: union(...rivets), paint: hex('#6f4c1b') },
    { shape: circle(0.5, 0.5, 0.235), paint: vertical(hex('#8fd3fe'), hex('#1d6fa3'), 0.27, 0.73) },
    { shape: ring(0.5, 0.5, 0.235, 0.012), paint: hex('#4a3312', 0.6) },
    {
      shape: union(capsule(0.39, 0.42, 0.47, 0.5, 0.024), capsule(0.47, 0.5, 0.39, 0.58, 0.024)),
      paint: hex('#ffffff'),
    },
    { shape: capsule(0.52, 0.59, 0.62, 0.59, 0.024), paint: hex('#ffffff') },
    { shape: capsule(0.37, 0.33, 0.47, 0.3, 0.022), paint: hex('#ffffff', 0.55) },
  ]);
}

// ---- PNG, ICO and ICNS encoding ----

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const paeth = (a, b, c) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Scanlines with, per row, the filter whose output has the smallest sum (the libpng heuristic). */
function filteredScanlines({ size, rgba }) {
  const stride = size * 4;
  const out = Buffer.alloc((stride + 1) * size);
  const candidate = Buffer.alloc(stride);
  for (let y = 0; y < size; y += 1) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    let best = { score: Infinity, type: 0, bytes: Buffer.alloc(0) };
    for (let type = 0; type <= 4; type += 1) {
      let score = 0;
      for (let i = 0; i < stride; i += 1) {
        const left = i >= 4 ? row[i - 4] : 0;
        const up = above[i];
        const upLeft = i >= 4 ? above[i - 4] : 0;
        const predictor =
          type === 0 ? 0 : type === 1 ? left : type === 2 ? up : type === 3 ? (left + up) >> 1 : paeth(left, up, upLeft);
        candidate[i] = (row[i] - predictor) & 0xff;
        score += candidate[i] < 128 ? candidate[i] : 256 - candidate[i];
      }
      if (score < best.score) best = { score, type, bytes: Buffer.from(candidate) };
    }
    out[y * (stride + 1)] = best.type;
    best.bytes.copy(out, y * (stride + 1) + 1);
  }
  return out;
}

function encodePng(image) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.size, 0);
  header.writeUInt32BE(image.size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filteredScanlines(image), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Windows Vista and later read PNG-compressed entries; 256 is written as 0.
function encodeIco(sizes) {
  const pngs = sizes.map((size) => encodePng(appIcon(size)));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(pngs[i].length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += pngs[i].length;
  });
  return Buffer.concat([header, ...pngs]);
}

// The PNG-bearing icon types macOS reads, with the pixel size each holds.
const ICNS_TYPES = [
  ['icp4', 16],
  ['ic11', 32],
  ['icp5', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];

function encodeIcns() {
  const bySize = new Map();
  const entries = ICNS_TYPES.map(([type, size]) => {
    if (!bySize.has(size)) bySize.set(size, encodePng(appIcon(size)));
    const png = bySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

// ---- the asset list, and writing or checking it ----

function assets() {
  const list = [];
  for (const state of STATES) {
    for (const variant of ['light', 'dark', 'Template']) {
      const base = variant === 'Template' ? `${state}Template` : `${state}-${variant}`;
      list.push({ path: `tray/${base}.png`, build: () => encodePng(trayIcon(state, variant, 16)) });
      list.push({ path: `tray/${base}@2x.png`, build: () => encodePng(trayIcon(state, variant, 32)) });
    }
  }
  list.push({ path: 'icon.png', build: () => encodePng(appIcon(512)) });
  list.push({ path: 'icon.ico', build: () => encodeIco([16, 24, 32, 48, 64, 128, 256]) });
  list.push({ path: 'icon.icns', build: () => encodeIcns() });
  return list;
}

/** Replaces each embedded PNG's compressed IDAT with its inflated scanlines. */
function comparable(buffer) {
  const signature = '89504e470d0a1a0a';
  const parts = [];
  let cursor = 0;
  for (;;) {
    const start = buffer.indexOf(Buffer.from(signature, 'hex'), cursor);
    if (start < 0) break;
    parts.push(buffer.subarray(cursor, start));
    let at = start + 8;
    for (;;) {
      const length = buffer.readUInt32BE(at);
      const type = buffer.toString('ascii', at + 4, at + 8);
      const data = buffer.subarray(at + 8, at + 8 + length);
      parts.push(Buffer.from(type), type === 'IDAT' ? inflateSync(data) : data);
      at += 12 + length;
      if (type === 'IEND') break;
    }
    cursor = at;
  }
  parts.push(buffer.subarray(cursor));
  return Buffer.concat(parts);
}

const check = process.argv.includes('--check');
let stale = 0;
for (const { path, build } of assets()) {
  const file = join(assetsDir, path);
  const bytes = build();
  if (check) {
    let current;
    try {
      current = readFileSync(file);
    } catch {
      current = Buffer.alloc(0);
    }
    if (!comparable(current).equals(comparable(bytes))) {
      stale += 1;
      console.error(`out of date: ${relative(process.cwd(), file)}`);
    }
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
}
if (check && stale > 0) {
  console.error(`${stale} icon(s) differ from scripts/make-icons.mjs; run: node scripts/make-icons.mjs`);
  process.exit(1);
}
if (!check) console.log(`wrote ${assets().length} icons to ${relative(process.cwd(), assetsDir) || '.'}`);
