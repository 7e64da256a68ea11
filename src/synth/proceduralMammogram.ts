import type { Point } from '../findings/types';
import { DEFAULT_DETECTOR } from './detectorModel';
import { drawClusterKind, drawPsfSigmaPx, insertLesions, type ClusterKind } from './lesions/lesionSet';
import { SeededRandom } from './random';
import type { MammogramSynthesizer } from './syntheticMammogram';
import { planProceduralBreast, renderProceduralWindow, type ProceduralBreast } from './tissue/proceduralBreast';

/** A random point at least `minDepthMm` inside the skin and outside the pectoral muscle. */
export function pointInTissue(breast: ProceduralBreast, random: SeededRandom, minDepthMm: number): Point | undefined {
  const { geometry } = breast;
  for (let attempt = 0; attempt < 500; attempt++) {
    const p = { x: random.uniform(0, geometry.width), y: random.uniform(0, geometry.height) };
    if (geometry.depthBelowSkinMm(p.x, p.y) >= minDepthMm && geometry.depthInPectoralMm(p.x, p.y) < -2) return p;
  }
  return undefined;
}

/**
 * A full synthetic view: procedural breast tissue with 0-3 calcification clusters (benign, malignant
 * or large benign forms) and a few isolated specks, and the ground truth for them.
 */
export const proceduralMammogram: MammogramSynthesizer = (request) => {
  const random = new SeededRandom(request.seed);
  const breast = planProceduralBreast(request.view, request.columns, request.rows, request.spacingMm, random.fork(1));
  const image = renderProceduralWindow(breast, { x0: 0, y0: 0, width: request.columns, height: request.rows }, random.fork(2));
  const lesionRandom = random.fork(3);
  const clusterCount = lesionRandom.pick([0, 1, 1, 2, 3]);
  const clusters: { kind: ClusterKind; centre: Point }[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const centre = pointInTissue(breast, lesionRandom, 10);
    if (!centre) break;
    clusters.push({ kind: drawClusterKind(lesionRandom), centre });
  }
  const isolated: Point[] = [];
  for (let s = lesionRandom.int(0, 6); s > 0; s--) {
    const point = pointInTissue(breast, lesionRandom, 3);
    if (point) isolated.push(point);
  }
  const { geometry } = breast;
  const lesions = insertLesions(
    image,
    {
      clusters,
      isolated,
      psfSigmaPx: drawPsfSigmaPx(request.spacingMm, lesionRandom),
      nipple: geometry.nipple,
      accept: (x, y) => x >= 0 && y >= 0 && x < geometry.width && y < geometry.height && geometry.depthBelowSkinMm(x, y) > 1.5,
    },
    DEFAULT_DETECTOR,
    lesionRandom,
  );
  return { image, tissue: 'procedural', specks: lesions.specks, clusters: lesions.clusters };
};
