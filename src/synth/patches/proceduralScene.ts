import type { Point } from '../../findings/types';
import type { Photometric, PresentationIntent } from '../dicom/mammoDataset';
import { SCREENING_VIEWS } from '../dicom/mammoView';
import { DEFAULT_DETECTOR } from '../detectorModel';
import { drawClusterKind, drawPsfSigmaPx, insertLesions, type ClusterKind } from '../lesions/lesionSet';
import { pointInTissue } from '../proceduralMammogram';
import { SeededRandom } from '../random';
import { planProceduralBreast, renderProceduralWindow, SCREENING_TEXTURE, type TextureRange } from '../tissue/proceduralBreast';
import { vesselMidpoint } from '../tissue/vesselPaths';
import { labelMapFromSpecks } from './labelMap';
import { preparedFromAttenuation } from './preparedFromAttenuation';
import { sceneSpecks, type HardNegativeLandmark, type PatchScene } from './patchScene';

/** Native spacings of the units a CAD node meets (mm); 0.07 most often, as the working grid. */
const NATIVE_SPACINGS = [0.07, 0.07, 0.07, 0.05, 0.085, 0.1];

/** Which stored form the image takes: mostly MONOCHROME2 For Presentation, some MONOCHROME1 and raw. */
function drawStoredForm(random: SeededRandom): { intent: PresentationIntent; photometric: Photometric } {
  const roll = random.next();
  if (roll < 0.7) return { intent: 'FOR PRESENTATION', photometric: 'MONOCHROME2' };
  if (roll < 0.85) return { intent: 'FOR PRESENTATION', photometric: 'MONOCHROME1' };
  return { intent: 'FOR PROCESSING', photometric: 'MONOCHROME1' };
}

/**
 * A whole synthetic view (a smallish breast, 100-180 mm tall, to keep it quick) rich in lesions:
 * 2-5 clusters and 4-15 isolated specks, prepared as the detector sees it.
 */
export function proceduralScene(
  seed: number,
  { heightMmRange = [100, 180], texture = SCREENING_TEXTURE }: { heightMmRange?: [number, number]; texture?: TextureRange } = {},
): PatchScene {
  const random = new SeededRandom(seed);
  const view = random.pick(SCREENING_VIEWS);
  const spacingMm = random.pick(NATIVE_SPACINGS);
  const rows = Math.round(random.uniform(heightMmRange[0], heightMmRange[1]) / spacingMm);
  const columns = Math.round(rows * random.uniform(0.7, 0.85));
  const breast = planProceduralBreast(view, columns, rows, spacingMm, random.fork(1), texture);
  const image = renderProceduralWindow(breast, { x0: 0, y0: 0, width: columns, height: rows }, random.fork(2));
  const { geometry } = breast;
  const lesionRandom = random.fork(3);
  const clusters: { kind: ClusterKind; centre: Point }[] = [];
  for (let c = lesionRandom.int(2, 5); c > 0; c--) {
    const centre = pointInTissue(breast, lesionRandom, 8);
    if (!centre) break;
    clusters.push({ kind: drawClusterKind(lesionRandom), centre });
  }
  const isolated: Point[] = [];
  for (let s = lesionRandom.int(4, 15); s > 0; s--) {
    const p = pointInTissue(breast, lesionRandom, 3);
    if (p) isolated.push(p);
  }
  const lesions = insertLesions(
    image,
    {
      clusters,
      isolated,
      psfSigmaPx: drawPsfSigmaPx(spacingMm, lesionRandom),
      nipple: geometry.nipple,
      accept: (x, y) => x >= 0 && y >= 0 && x < columns && y < rows && geometry.depthBelowSkinMm(x, y) > 1.5,
    },
    DEFAULT_DETECTOR,
    lesionRandom,
  );
  const form = drawStoredForm(random.fork(4));
  const prepared = preparedFromAttenuation(image, view, form.intent, form.photometric, seed);

  const landmarks: HardNegativeLandmark[] = [];
  const landmarkRandom = random.fork(5);
  for (const vessel of breast.vessels) landmarks.push({ source: 'vessel', ...vesselMidpoint(vessel, landmarkRandom) });
  for (const ligament of breast.ligaments.slice(0, 6)) landmarks.push({ source: 'ligament', ...vesselMidpoint(ligament, landmarkRandom) });
  for (let attempt = 0, found = 0; attempt < 4000 && found < 6; attempt++) {
    const p = { x: landmarkRandom.uniform(0, columns), y: landmarkRandom.uniform(0, rows) };
    const depth = geometry.depthBelowSkinMm(p.x, p.y);
    if (depth > 0.3 && depth < 2.5) {
      landmarks.push({ source: 'skin', ...p });
      found++;
    }
  }
  if (view.view === 'MLO') {
    for (let attempt = 0, found = 0; attempt < 4000 && found < 4; attempt++) {
      const p = { x: landmarkRandom.uniform(0, columns), y: landmarkRandom.uniform(0, rows) };
      if (Math.abs(geometry.depthInPectoralMm(p.x, p.y)) < 1 && geometry.depthBelowSkinMm(p.x, p.y) > 3) {
        landmarks.push({ source: 'pectoral', ...p });
        found++;
      }
    }
  }
  return {
    tissue: 'procedural',
    prepared,
    originalColumns: columns,
    originalRows: rows,
    labels: labelMapFromSpecks(columns, rows, lesions.inserted),
    specks: sceneSpecks(lesions),
    landmarks,
  };
}
