import type { CalcificationType } from '../../findings/types';
import { SeededRandom } from '../random';
import type { SpeckPlan } from './speckPlan';

/**
 * Projected calcium thickness (relative, 0 outside) of one calcification, as a function of the offset
 * from its centre in mm, in the speck's own frame (u along its long axis, v across). Sizes and forms
 * follow BI-RADS 5th edition as summarised in LESIONS.md.
 */
export interface SpeckShape {
  /** Radius in mm of a disc that contains the whole shape (renderSpeck samples it within 1.1 × this). */
  extentMm: number;
  /**
   * How far from the centre its calcium actually goes (mm), as drawn: the radius the cluster truth's
   * outline must enclose around the speck. The sphere and the rim their radius, an irregular round
   * blob its largest edge radius, the hazy amorphous form its extentMm (beyond it under 2% of its
   * centre), rods the farthest point of their axis plus their widest half-width (a branch thus its
   * real reach, not length/2 + branch length), and never beyond what renderSpeck draws (1.1 × extentMm).
   */
  reachMm: number;
  thickness(uMm: number, vMm: number): number;
  /**
   * Where the calcium of a form that is more than one blob runs, in the speck's frame (mm): a
   * polyline per rod (a branch, each wall of a vessel), the circle of a rim's shell, a single point
   * per grain or lump. Empty for single blobs, whose centre stands for them. The ground truth
   * records it so that a mark on a vessel wall 5 mm from the vessel's midpoint, or on a rim's shell,
   * is on the calcification and not a false mark.
   */
  skeletonMm: FramePoint[][];
}

/** A point in a speck's own frame, mm: u along its long axis, v across. */
export interface FramePoint {
  u: number;
  v: number;
}

/** Skeleton lines are sampled at least this finely (mm); the bends are gentle parabolas. */
const SKELETON_STEP_MM = 0.5;

/** renderSpeck samples a shape only within this × its extentMm: nothing is drawn beyond. */
const DRAWN_EXTENT = 1.1;

/** irregularBlob's radius is at most radius × (1 + roughness × this): the sum of its harmonics' largest amplitudes / roughness. */
const BLOB_HARMONICS = [2, 3, 4, 5].reduce((sum, k) => sum + 1 / Math.sqrt(k), 0);

/** A beaded rod's half-width is at most its radius × (1 + beading × 0.5 × 2): two waves of amplitude ≤ 1, beading ≤ 0.9. */
const BEADED_WIDTH = 1 + 0.9 * 0.5 * 2;

/**
 * How far rods reach from the centre (mm): the farthest point of their axes plus their widest
 * half-width, plus what rod()'s bend moves an end cap off its axis (at most |bend| × width × length / 2).
 */
function rodReach(axes: FramePoint[][], halfWidthMm: number, bend: number, lengthMm: number): number {
  const axis = Math.max(0, ...axes.flat().map((p) => Math.hypot(p.u, p.v)));
  return axis + halfWidthMm * (1 + (Math.abs(bend) * lengthMm) / 2);
}

/** A sphere seen in projection: path length √(1 - (r/R)²). */
function sphere(radiusMm: number): (u: number, v: number) => number {
  return (u, v) => {
    const q = 1 - (u * u + v * v) / (radiusMm * radiusMm);
    return q > 0 ? Math.sqrt(q) : 0;
  };
}

/**
 * Rod (a cylinder along u, length L, radius R, rounded ends): the shape of calcium cast in a duct.
 * `beading` > 0 makes the width vary along the rod and breaks it into beads, as casting
 * calcifications fill a duct unevenly.
 */
function rod(lengthMm: number, radiusMm: number, bend: number, beading = 0, random?: SeededRandom): (u: number, v: number) => number {
  const half = Math.max(0, lengthMm / 2 - radiusMm);
  const waves = random
    ? [0, 1].map(() => ({ k: random.uniform(4, 12), phase: random.uniform(0, 2 * Math.PI), amplitude: random.uniform(0.5, 1) }))
    : [];
  return (u, v) => {
    // A slight bend: the duct is not straight; v is measured from a parabola.
    const vv = v - bend * (u * u - half * half) * 0.5;
    const along = Math.max(0, Math.abs(u) - half);
    let width = radiusMm;
    if (beading > 0) {
      let wave = 0;
      for (const w of waves) wave += w.amplitude * Math.sin(w.k * u + w.phase);
      width = radiusMm * Math.max(0.15, 1 + beading * 0.5 * wave);
    }
    const q = 1 - (along * along + vv * vv) / (width * width);
    return q > 0 ? Math.sqrt(q) : 0;
  };
}

/** The axis of rod(lengthMm, radiusMm, bend): where its v offset is zero, between the end caps' centres. */
function rodAxis(lengthMm: number, radiusMm: number, bend: number): FramePoint[] {
  const half = Math.max(0, lengthMm / 2 - radiusMm);
  const steps = Math.max(1, Math.ceil((2 * half) / SKELETON_STEP_MM));
  return Array.from({ length: steps + 1 }, (_, i) => {
    const u = -half + (2 * half * i) / steps;
    return { u, v: bend * (u * u - half * half) * 0.5 };
  });
}

/** A part's frame point in the frame of the shape it was shifted into (the inverse of shifted()'s mapping);
 * also a speck's frame point in image axes (du = dv = 0, angle = the speck's). */
export function shiftedPoint(p: FramePoint, du: number, dv: number, angle = 0): FramePoint {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return { u: du + c * p.u - s * p.v, v: dv + s * p.u + c * p.v };
}

/** A blob moved by up to ±spread × radiusMm in u and v (drawn in that order, after the blob's own draws). */
function offsetBlob(blob: (u: number, v: number) => number, spread: number, radiusMm: number, random: SeededRandom): { thickness: (u: number, v: number) => number; at: FramePoint } {
  const at = { u: random.uniform(-spread, spread) * radiusMm, v: random.uniform(-spread, spread) * radiusMm };
  return { thickness: shifted(blob, at.u, at.v), at };
}

/** An irregular blob: radius modulated by a few random harmonics (pleomorphic, jagged). */
function irregularBlob(radiusMm: number, random: SeededRandom, roughness: number): (u: number, v: number) => number {
  const harmonics = [2, 3, 4, 5].map((k) => ({ k, amplitude: random.uniform(0, roughness) / k ** 0.5, phase: random.uniform(0, 2 * Math.PI) }));
  return (u, v) => {
    const r = Math.sqrt(u * u + v * v);
    const theta = Math.atan2(v, u);
    let edge = 1;
    for (const h of harmonics) edge += h.amplitude * Math.cos(h.k * theta + h.phase);
    const q = 1 - (r / (radiusMm * Math.max(edge, 0.35))) ** 2;
    return q > 0 ? Math.sqrt(q) : 0;
  };
}

function union(parts: ((u: number, v: number) => number)[]): (u: number, v: number) => number {
  return (u, v) => {
    let best = 0;
    for (const part of parts) best = Math.max(best, part(u, v));
    return best;
  };
}

function shifted(shape: (u: number, v: number) => number, du: number, dv: number, angle = 0): (u: number, v: number) => number {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return (u, v) => {
    const x = u - du;
    const y = v - dv;
    return shape(c * x + s * y, -s * x + c * y);
  };
}

/** A form's shape as built below: single blobs leave the skeleton out; without reachMm, it is all that is drawn. */
type FormShape = Omit<SpeckShape, 'skeletonMm' | 'reachMm'> & Partial<Pick<SpeckShape, 'skeletonMm' | 'reachMm'>>;

/** Builds the shape of a planned speck; deterministic in its shapeSeed. */
export function speckShape(plan: SpeckPlan): SpeckShape {
  const random = new SeededRandom(plan.shapeSeed);
  const radius = plan.diameterMm / 2;
  const length = Math.max(plan.lengthMm, plan.diameterMm);
  // Draw order from `random` is part of every seeded dataset: keep it when editing a form.
  const shapes: Record<CalcificationType, () => FormShape> = {
    punctate: () => ({ extentMm: radius, reachMm: radius, thickness: sphere(radius) }),
    round: () => ({ extentMm: radius * 1.1, reachMm: radius * (1 + 0.08 * BLOB_HARMONICS), thickness: irregularBlob(radius, random, 0.08) }),
    // Amorphous: small, hazy; a soft Gaussian profile instead of a hard edge.
    amorphous: () => ({
      extentMm: radius * 2,
      reachMm: radius * 2,
      thickness: (u, v) => Math.exp(-(u * u + v * v) / (2 * (radius * 0.7) ** 2)),
    }),
    finePleomorphic: () => ({ extentMm: radius * 1.6, thickness: irregularBlob(radius, random, 0.45) }),
    fineLinear: () => {
      const bend = random.uniform(-0.15, 0.15);
      const skeletonMm = [rodAxis(length, radius, bend)];
      return {
        extentMm: length / 2 + radius * 1.6,
        reachMm: rodReach(skeletonMm, radius * BEADED_WIDTH, bend, length),
        thickness: rod(length, radius, bend, random.uniform(0.3, 0.9), random),
        skeletonMm,
      };
    },
    fineLinearBranching: () => {
      const bend = random.uniform(-0.1, 0.1);
      const main = rod(length, radius, bend, random.uniform(0.3, 0.9), random);
      const branchLength = length * random.uniform(0.4, 0.7);
      const branchAngle = random.pick([-1, 1]) * random.uniform(0.35, 0.9);
      const at = random.uniform(-0.2, 0.35) * length;
      const du = at + (Math.cos(branchAngle) * branchLength) / 2;
      const dv = (Math.sin(branchAngle) * branchLength) / 2;
      const branch = shifted(rod(branchLength, radius * 0.85, 0, random.uniform(0.3, 0.9), random), du, dv, branchAngle);
      const skeletonMm = [rodAxis(length, radius, bend), rodAxis(branchLength, radius * 0.85, 0).map((p) => shiftedPoint(p, du, dv, branchAngle))];
      return {
        extentMm: length / 2 + branchLength + radius * 1.6,
        // The main rod is the wider and the bent one (the branch: 0.85 of its radius, straight, shorter).
        reachMm: rodReach(skeletonMm, radius * BEADED_WIDTH, bend, length),
        thickness: union([main, branch]),
        skeletonMm,
      };
    },
    // Coarse heterogeneous: a conglomerate of a few irregular grains.
    coarseHeterogeneous: () => {
      const grains = Array.from({ length: random.int(3, 6) }, () => offsetBlob(irregularBlob(radius * random.uniform(0.35, 0.6), random, 0.4), 0.5, radius, random));
      return { extentMm: radius * 1.4, thickness: union(grains.map((g) => g.thickness)), skeletonMm: grains.map((g) => [g.at]) };
    },
    // Popcorn: an involuting fibroadenoma, large lobulated dense lumps.
    popcorn: () => {
      const lumps = Array.from({ length: random.int(4, 8) }, () => offsetBlob(irregularBlob(radius * random.uniform(0.3, 0.5), random, 0.35), 0.55, radius, random));
      return { extentMm: radius * 1.2, thickness: union(lumps.map((l) => l.thickness)), skeletonMm: lumps.map((l) => [l.at]) };
    },
    // Vascular: calcified arterial wall seen as two parallel "tram-track" lines.
    vascular: () => {
      const gap = radius;
      const wall = Math.max(0.08, radius * 0.25);
      const bend = random.uniform(-0.02, 0.02);
      const top = shifted(rod(length, wall, bend), 0, gap);
      const bottom = shifted(rod(length, wall, bend), 0, -gap);
      // Calcium along a vessel is patchy: break the tracks into segments.
      const phase = random.uniform(0, 10);
      const period = random.uniform(1.5, 4);
      const pieces = (u: number): number => (Math.sin((u + phase) * ((2 * Math.PI) / period)) > -0.4 ? 1 : 0);
      const axis = rodAxis(length, wall, bend);
      const skeletonMm = [gap, -gap].map((dv) => axis.map((p) => shiftedPoint(p, 0, dv)));
      return {
        extentMm: length / 2 + gap + wall,
        reachMm: rodReach(skeletonMm, wall, bend, length),
        thickness: (u, v) => pieces(u) * Math.max(top(u, v), bottom(u, v)),
        skeletonMm,
      };
    },
    // Rim (eggshell): a thin calcified shell; projection of a spherical shell.
    rim: () => {
      const shell = Math.max(0.1, radius * random.uniform(0.08, 0.15));
      const inner = radius - shell;
      const middle = (radius + inner) / 2;
      const steps = Math.max(16, Math.ceil((2 * Math.PI * middle) / SKELETON_STEP_MM));
      return {
        extentMm: radius,
        reachMm: radius,
        skeletonMm: [Array.from({ length: steps + 1 }, (_, i) => ({ u: middle * Math.cos((2 * Math.PI * i) / steps), v: middle * Math.sin((2 * Math.PI * i) / steps) }))],
        thickness: (u, v) => {
          const r2 = u * u + v * v;
          if (r2 >= radius * radius) return 0;
          const outerPath = Math.sqrt(radius * radius - r2);
          const innerPath = r2 < inner * inner ? Math.sqrt(inner * inner - r2) : 0;
          return (outerPath - innerPath) / Math.sqrt(radius * radius - inner * inner);
        },
      };
    },
  };
  const shape = shapes[plan.type]();
  const drawn = shape.extentMm * DRAWN_EXTENT;
  return { ...shape, skeletonMm: shape.skeletonMm ?? [], reachMm: Math.min(shape.reachMm ?? drawn, drawn) };
}
