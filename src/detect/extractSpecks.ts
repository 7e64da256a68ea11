import { CENTRE_LOGITS_OUTPUT, denseMap, type PixelMap } from './centreMap';
import type { DetectedSpeck } from './detectedSpeck';
import { withJoiners } from './joinerSpecks';
import { splitAtPeaks } from './splitAtPeaks';

export interface SpeckExtractionOptions {
  /** Heatmap probability at or above which a pixel belongs to a calcification. */
  threshold: number;
  /** Working-grid pixel spacing in mm. */
  spacingMm: number;
  /** Components larger than this (equivalent diameter, mm) are tissue or macrocalcifications, not specks. */
  maxDiameterMm?: number;
  /** Split a component at heatmap peaks more than this far apart (mm; splitAtPeaks.ts); unset or 0: one speck per component. */
  splitRadiusMm?: number;
  /** Only peaks separated by a dip of at least this much log-odds are split (splitAtPeaks.ts). */
  splitMinDipLogit?: number;
  /** Which map's peaks split a component: the heatmap itself (default) or the detector's speck-centre
   * output (models with a centre head), which is trained to peak once per speck. */
  splitSignal?: 'heatmap' | 'centres';
  /** Peaks of the split signal below this value split nothing. */
  splitMinPeak?: number;
  /** Only components at least this large (equivalent diameter, mm) are split. */
  splitMinDiameterMm?: number;
  /** Below threshold: also extract joiners down to this probability (joinerSpecks.ts); unset or at
   * or above threshold: none. */
  joinThreshold?: number;
}

/** Width in pixels of the background ring whose mean sets a speck's contrast. */
const RING_PX = 3;
/** Below this many pixels the second moments say nothing about shape. */
const MIN_AREA_FOR_SHAPE = 5;

/**
 * Heatmap → individual calcifications: 8-connected components of pixels at or above the threshold
 * inside the breast mask, each reduced to its centre (probability-weighted), size, peak score,
 * contrast against a surrounding ring and elongation. Two-pass labelling with union-find keeps it
 * linear in the number of pixels, which matters on a 14-megapixel working grid. With a join threshold
 * below the threshold, the joiners found at it follow the specks (joinerSpecks.ts).
 */
export function extractSpecks(
  heatmap: Float32Array,
  pixels: Float32Array,
  mask: Uint8Array | null,
  width: number,
  height: number,
  options: SpeckExtractionOptions,
  centres: PixelMap | null = null,
): DetectedSpeck[] {
  const { threshold, spacingMm, joinThreshold } = options;
  if (joinThreshold !== undefined && joinThreshold < threshold) {
    const single = { ...options, joinThreshold: undefined };
    const specks = extractSpecks(heatmap, pixels, mask, width, height, single, centres);
    const low = extractSpecks(heatmap, pixels, mask, width, height, { ...single, threshold: joinThreshold }, centres);
    return withJoiners(specks, low, threshold);
  }
  const splitRadiusPx = Math.round((options.splitRadiusMm ?? 0) / spacingMm);
  const splitSignal = options.splitSignal === 'centres' ? centres : denseMap(heatmap);
  if (splitRadiusPx > 0 && !splitSignal) throw new Error(`splitting at speck centres needs a detector with a "${CENTRE_LOGITS_OUTPUT}" output`);
  const labels = new Int32Array(width * height);
  /** The labelled pixels, row-major. */
  let foreground: number[] = [];
  const parent: number[] = [0];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };

  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (heatmap[i] < threshold || (mask !== null && mask[i] === 0)) continue;
      let label = 0;
      // Already-visited 8-neighbours: left, up-left, up, up-right.
      const neighbours = [
        x > 0 ? labels[i - 1] : 0,
        x > 0 && y > 0 ? labels[i - width - 1] : 0,
        y > 0 ? labels[i - width] : 0,
        x + 1 < width && y > 0 ? labels[i - width + 1] : 0,
      ];
      for (const n of neighbours) {
        if (n === 0) continue;
        label = label === 0 ? find(n) : union(label, n);
      }
      if (label === 0) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
      foreground.push(i);
    }
  }

  // Second pass: resolve labels to component roots. It and the later passes visit only the labelled
  // pixels: the first full read of the fresh 14-megapixel label array alone cost about 190 ms (page
  // faults, measured on the 2-core host), several times the rest of the extraction.
  const area = new Int32Array(parent.length);
  for (const i of foreground) {
    labels[i] = find(labels[i]);
    area[labels[i]]++;
  }
  if (options.maxDiameterMm !== undefined) {
    const maxAreaPx = Math.PI * (options.maxDiameterMm / spacingMm / 2) ** 2;
    for (const i of foreground) if (area[labels[i]] > maxAreaPx) labels[i] = 0;
    foreground = foreground.filter((i) => labels[i] !== 0);
  }
  const { speckOf, componentOf } =
    splitRadiusPx > 0 && splitSignal
      ? splitAtPeaks(
          labels,
          foreground,
          splitSignal,
          width,
          height,
          {
            radiusPx: splitRadiusPx,
            minDipLogit: options.splitMinDipLogit ?? 0,
            minPeak: options.splitMinPeak ?? 0,
            minAreaPx: Math.PI * ((options.splitMinDiameterMm ?? 0) / spacingMm / 2) ** 2,
          },
          parent.length,
        )
      : { speckOf: foreground.map((i) => labels[i]), componentOf: null };

  // Third pass: moments per speck.
  interface Acc {
    n: number;
    w: number;
    wx: number;
    wy: number;
    sx: number;
    sy: number;
    sxx: number;
    syy: number;
    sxy: number;
    max: number;
    value: number;
    x0: number;
    y0: number;
    x1: number;
    y1: number;
  }
  const accs = new Map<number, Acc>();
  foreground.forEach((i, k) => {
    const x = i % width;
    const y = (i - x) / width;
    const root = speckOf[k];
    let a = accs.get(root);
    if (!a) {
      a = { n: 0, w: 0, wx: 0, wy: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0, max: 0, value: 0, x0: x, y0: y, x1: x, y1: y };
      accs.set(root, a);
    }
    const p = heatmap[i];
    a.n++;
    a.w += p;
    a.wx += p * x;
    a.wy += p * y;
    a.sx += x;
    a.sy += y;
    a.sxx += x * x;
    a.syy += y * y;
    a.sxy += x * y;
    if (p > a.max) a.max = p;
    a.value += pixels[i];
    if (x < a.x0) a.x0 = x;
    if (x > a.x1) a.x1 = x;
    if (y < a.y0) a.y0 = y;
    if (y > a.y1) a.y1 = y;
  });

  const specks: DetectedSpeck[] = [];
  for (const [root, a] of accs) {
    const component = componentOf?.get(root) ?? root;
    const diameterMm = 2 * Math.sqrt(a.n / Math.PI) * spacingMm;
    const { elongation, orientation } = shapeFromMoments(a.n, a.sx, a.sy, a.sxx, a.syy, a.sxy);
    specks.push({
      // +0.5: pixel (i, j) covers [i, i+1) x [j, j+1); coordinates are continuous (types.ts).
      x: a.wx / a.w + 0.5,
      y: a.wy / a.w + 0.5,
      areaPx: a.n,
      diameterMm,
      score: a.max,
      contrast: a.value / a.n - ringMean(pixels, labels, component, width, height, a),
      elongation,
      orientation,
      component,
    });
  }
  // Stable order (row-major by centre) so results do not depend on label numbering.
  specks.sort((p, q) => p.y - q.y || p.x - q.x);
  return specks;
}

function shapeFromMoments(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number) {
  if (n < MIN_AREA_FOR_SHAPE) return { elongation: 1, orientation: 0 };
  const mx = sx / n;
  const my = sy / n;
  // Each pixel is a unit square: add its own variance 1/12 so small blobs are not called lines.
  const cxx = sxx / n - mx * mx + 1 / 12;
  const cyy = syy / n - my * my + 1 / 12;
  const cxy = sxy / n - mx * my;
  const tr = cxx + cyy;
  const disc = Math.sqrt(Math.max(0, ((cxx - cyy) * (cxx - cyy)) / 4 + cxy * cxy));
  const l1 = tr / 2 + disc;
  const l2 = Math.max(tr / 2 - disc, 1e-6);
  return { elongation: Math.sqrt(l1 / l2), orientation: 0.5 * Math.atan2(2 * cxy, cxx - cyy) };
}

function ringMean(
  pixels: Float32Array,
  labels: Int32Array,
  root: number,
  width: number,
  height: number,
  box: { x0: number; y0: number; x1: number; y1: number },
): number {
  const x0 = Math.max(0, box.x0 - RING_PX);
  const x1 = Math.min(width - 1, box.x1 + RING_PX);
  const y0 = Math.max(0, box.y0 - RING_PX);
  const y1 = Math.min(height - 1, box.y1 + RING_PX);
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (labels[i] === root) continue;
      sum += pixels[i];
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}
