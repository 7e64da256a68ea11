import { createAttenuationImage, type AttenuationImage } from '../attenuationImage';
import type { MammoView } from '../dicom/mammoView';
import { SeededRandom } from '../random';
import { makeBreastGeometry, type BreastGeometry } from './breastGeometry';
import { twoScaleTexture } from './textureField';
import { relativePathLength } from './thicknessProfile';
import { makeLigamentPaths } from './ligamentPaths';
import { drawVessels, makeVesselPaths, type VesselPath } from './vesselPaths';

/** The fixed properties of one simulated breast; windows of it are rendered on demand. */
export interface ProceduralBreast {
  geometry: BreastGeometry;
  vessels: VesselPath[];
  /** Cooper's ligaments and small ducts: thin faint strands. */
  ligaments: VesselPath[];
  /** Power-law exponent of the parenchyma, 2.5-3.5 (Burgess). */
  beta: number;
  /** Texture level above which tissue is glandular: lower means denser (fatty ... extremely dense). */
  glandThreshold: number;
  compressedThicknessMm: number;
  skinThicknessMm: number;
}

/** The ranges the parenchyma's texture is drawn from. */
export interface TextureRange {
  betaRange: [number, number];
  /** Candidate gland thresholds (each jittered by ±0.2). */
  glandThresholds: number[];
}

/** Every texture a screening population shows, fatty to extremely dense (Burgess: β 2.5-3.5). */
export const SCREENING_TEXTURE: TextureRange = { betaRange: [2.5, 3.5], glandThresholds: [1.1, 0.5, -0.1, -0.6] };

/**
 * Rough texture (β near 2.5: most power at fine scales) in fatty or scattered breasts: small islands
 * of gland, a few millimetres across, stand alone in fat. The 0.3.5 detector's false clusters
 * gather there: on the validation studies 39 of the 48 at the reporting floor lie in the 6 of 48
 * views with β < 2.75 and a threshold ≥ 0.3. The detector's training draws extra scenes of it.
 */
export const BUSY_TEXTURE: TextureRange = { betaRange: [2.5, 2.75], glandThresholds: [1.1, 0.5] };

export interface PixelWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

// Linear attenuation at mammographic energies (~18-20 keV), per mm: fat 0.045, fibroglandular
// tissue about 0.075, skin and muscle close to glandular (Johns & Yaffe 1987, rounded).
const MU_FAT = 0.045;
const MU_GLAND_EXCESS = 0.03;
const MU_SKIN_EXCESS = 0.03;
const MU_MUSCLE_EXCESS = 0.02;
const RIM_RADIUS_MM = 12;

export function planProceduralBreast(
  view: MammoView,
  width: number,
  height: number,
  spacingMm: number,
  random: SeededRandom,
  texture: TextureRange = SCREENING_TEXTURE,
): ProceduralBreast {
  const geometry = makeBreastGeometry(view, width, height, spacingMm, random.fork(1));
  const imageAreaMm2 = width * height * spacingMm * spacingMm;
  // A screening view shows a handful of vessels (3-8 on a full 24×30 cm field), fewer on smaller ones.
  const vesselCount = Math.max(1, Math.round(random.uniform(3, 8) * Math.min(1, imageAreaMm2 / 40000)));
  return {
    geometry,
    vessels: makeVesselPaths(geometry, vesselCount, random.fork(2)),
    // About one strand per 4 cm² of image.
    ligaments: makeLigamentPaths(geometry, Math.round(imageAreaMm2 / 400), random.fork(3)),
    beta: random.uniform(texture.betaRange[0], texture.betaRange[1]),
    glandThreshold: random.pick(texture.glandThresholds) + random.uniform(-0.2, 0.2),
    compressedThicknessMm: random.uniform(35, 70),
    skinThicknessMm: random.uniform(1.0, 2.0),
  };
}

function smoothstep(edge0: number, edge1: number, value: number): number {
  const t = Math.min(1, Math.max(0, (value - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Chord through a skin shell of thickness s on a cylinder of radius R, at depth d below its surface. */
function skinChordMm(depthMm: number, radiusMm: number, skinMm: number): number {
  if (depthMm <= 0) return 0;
  const p = radiusMm - Math.min(depthMm, radiusMm);
  const outer = Math.sqrt(Math.max(0, radiusMm * radiusMm - p * p));
  const innerRadius = radiusMm - skinMm;
  const inner = p < innerRadius ? Math.sqrt(innerRadius * innerRadius - p * p) : 0;
  return outer - inner;
}

/**
 * Renders the attenuation of one window of the breast: fat plus power-law fibroglandular texture
 * (kept away from the subcutaneous fat layer), the path-length fall-off toward the skin, a bright skin
 * line, the pectoral muscle wedge on MLO views, vessels and fibrous strands.
 */
export function renderProceduralWindow(breast: ProceduralBreast, window: PixelWindow, random: SeededRandom): AttenuationImage {
  const { geometry } = breast;
  const image = createAttenuationImage(window.width, window.height, geometry.spacingMm);
  const parenchyma = twoScaleTexture(window.width, window.height, breast.beta, random.fork(11));
  // Fine fibrous detail in fat (Cooper's ligaments, small ducts): weak and smooth, or it reads as noise.
  const fatDetail = twoScaleTexture(window.width, window.height, 3.0, random.fork(12));
  const thickness = breast.compressedThicknessMm;
  const fatAttenuation = MU_FAT * thickness;
  const glandAttenuation = MU_GLAND_EXCESS * thickness;
  for (let y = 0; y < window.height; y++) {
    const iy = window.y0 + y + 0.5;
    for (let x = 0; x < window.width; x++) {
      const ix = window.x0 + x + 0.5;
      const depth = geometry.depthBelowSkinMm(ix, iy);
      if (depth <= 0) continue;
      const i = y * window.width + x;
      const path = relativePathLength(depth, RIM_RADIUS_MM);
      // Glandular tissue lies under a 3-10 mm subcutaneous fat layer.
      const envelope = smoothstep(3, 14, depth);
      // A soft threshold: glandular fraction changes gradually, without cartoon-like blob edges.
      const gland = envelope / (1 + Math.exp(-(parenchyma[i] - breast.glandThreshold) / 0.7));
      let a = path * (fatAttenuation * (1 + 0.01 * fatDetail[i]) + glandAttenuation * 0.8 * gland);
      a += MU_SKIN_EXCESS * skinChordMm(depth, RIM_RADIUS_MM, breast.skinThicknessMm);
      const pectoralDepth = geometry.depthInPectoralMm(ix, iy);
      if (pectoralDepth > -1.5) {
        a += path * MU_MUSCLE_EXCESS * thickness * smoothstep(-1.5, 1.5, pectoralDepth) * (0.6 + 0.4 * smoothstep(0, 30, pectoralDepth));
      }
      image.attenuation[i] = a;
      image.breastMask[i] = 1;
    }
  }
  drawVessels(image.attenuation, window.width, window.height, window.x0, window.y0, geometry.spacingMm, breast.vessels);
  drawVessels(image.attenuation, window.width, window.height, window.x0, window.y0, geometry.spacingMm, breast.ligaments);
  for (let i = 0; i < image.attenuation.length; i++) if (!image.breastMask[i]) image.attenuation[i] = 0;
  return image;
}
