import type { ClusterFinding, ImageFindings, StudyFindings } from '../../src/findings/types';
import type { NaturalDataset } from '../../src/report/naturalDataset';
import type { ReportOptions } from '../../src/report/reportOptions';
import { makeMgImage, type MgImageSpec } from './mgImage';

/** Hand-made findings over synthetic MG sources for every report scenario of the validation gate. */
export interface ReportScenario {
  name: string;
  study: StudyFindings;
  headers: NaturalDataset[];
}

const algorithm = { name: 'mammocad-calc', version: '1.0.0' };

/** A cluster of specks around (cx, cy) at the given malignancy; outline is the closed bounding box + 4 px. */
export function makeCluster(index: number, cx: number, cy: number, malignancy: number): ClusterFinding {
  const specks = [
    { x: cx - 6, y: cy - 4 },
    { x: cx + 5, y: cy - 5 },
    { x: cx, y: cy + 6 },
    { x: cx + 7, y: cy + 3 },
  ];
  const x0 = cx - 10,
    x1 = cx + 11,
    y0 = cy - 9,
    y1 = cy + 10;
  return {
    index,
    center: { x: cx, y: cy },
    outline: [
      { x: x0, y: y0 },
      { x: x1, y: y0 },
      { x: x1, y: y1 },
      { x: x0, y: y1 },
      { x: x0, y: y0 },
    ],
    ellipse: {
      majorAxis: [
        { x: x0, y: cy },
        { x: x1, y: cy },
      ],
      minorAxis: [
        { x: cx, y: y0 },
        { x: cx, y: y1 },
      ],
    },
    calcifications: specks.map((p, i) => ({ center: p, diameterMm: 0.3, score: 0.9 - i * 0.1 })),
    detectionScore: 0.92,
    malignancy,
    morphology: ['finePleomorphic', 'amorphous'],
    distribution: 'grouped',
    explanation: [{ feature: 'shapeIrregularity', value: 0.8, contribution: 1.2 }],
  };
}

const reasons = {
  analysed: undefined,
  failed: 'not analysable: no breast tissue found',
  notAnalysed: 'not analysed: breast implant in the image',
};

function imageFindings(header: NaturalDataset, clusters: ClusterFinding[], status: ImageFindings['status'] = 'analysed'): ImageFindings {
  const failed = status !== 'analysed';
  return {
    studyUid: header.StudyInstanceUID,
    seriesUid: header.SeriesInstanceUID,
    sopInstanceUid: header.SOPInstanceUID,
    sopClassUid: header.SOPClassUID,
    status,
    failureReason: reasons[status],
    rows: header.Rows,
    columns: header.Columns,
    laterality: header.ImageLaterality,
    view: header.ViewCodeSequence[0].CodeValue === '399162004' ? 'CC' : 'MLO',
    clusters: failed ? [] : clusters,
    imageScore: Math.max(0, ...clusters.map((c) => c.malignancy)),
    algorithm,
    analysisMs: 1200,
  };
}

function study(studyUid: string, images: ImageFindings[]): StudyFindings {
  const all = images.flatMap((i) => i.clusters.map((c) => ({ lat: i.laterality, m: c.malignancy })));
  const max = (lat?: 'L' | 'R') => Math.max(0, ...all.filter((a) => !lat || a.lat === lat).map((a) => a.m));
  return { studyUid, images, breastScores: { L: max('L'), R: max('R') }, examScore: max() };
}

function fourViews(studyUid: string, extra: Partial<MgImageSpec> = {}): NaturalDataset[] {
  return (['R', 'L'] as const).flatMap((laterality) =>
    (['CC', 'MLO'] as const).map((view) =>
      makeMgImage({ studyUid, name: `${laterality}${view}`, laterality, view, ...extra }),
    ),
  );
}

export function reportScenarios(): ReportScenario[] {
  const none = fourViews('1.2.826.0.1.3680043.10.1.1');
  const one = fourViews('1.2.826.0.1.3680043.10.1.2');
  const many = fourViews('1.2.826.0.1.3680043.10.1.3');
  const mono1 = [
    makeMgImage({
      studyUid: '1.2.826.0.1.3680043.10.1.4',
      name: 'LCC',
      laterality: 'L',
      view: 'CC',
      photometric: 'MONOCHROME1',
    }),
  ];
  const processing = [
    makeMgImage({
      studyUid: '1.2.826.0.1.3680043.10.1.5',
      name: 'RMLO',
      laterality: 'R',
      view: 'MLO',
      forProcessing: true,
    }),
  ];
  const failing = fourViews('1.2.826.0.1.3680043.10.1.6');
  // Both photometric interpretations in one study and SOP class (say, two vendors' units).
  const mixed = [
    makeMgImage({
      studyUid: '1.2.826.0.1.3680043.10.1.7',
      name: 'LCC',
      laterality: 'L',
      view: 'CC',
      photometric: 'MONOCHROME1',
    }),
    makeMgImage({ studyUid: '1.2.826.0.1.3680043.10.1.7', name: 'RCC', laterality: 'R', view: 'CC' }),
  ];
  // The For Processing (MONOCHROME1) and For Presentation versions of one view, both sent to the node.
  const bothIntents = [
    makeMgImage({
      studyUid: '1.2.826.0.1.3680043.10.1.9',
      name: 'LCCraw',
      laterality: 'L',
      view: 'CC',
      photometric: 'MONOCHROME1',
      forProcessing: true,
    }),
    makeMgImage({ studyUid: '1.2.826.0.1.3680043.10.1.9', name: 'LCC', laterality: 'L', view: 'CC' }),
  ];
  // An image whose VOI is a VOI LUT Sequence instead of a window: 4096 entries, tissue 800-1200 spread over 8 bits.
  const lutOnly = makeMgImage({
    studyUid: '1.2.826.0.1.3680043.10.1.8',
    name: 'RMLO',
    laterality: 'R',
    view: 'MLO',
  });
  delete lutOnly.WindowCenter;
  delete lutOnly.WindowWidth;
  delete lutOnly.VOILUTFunction;
  lutOnly.VOILUTSequence = [
    {
      LUTDescriptor: [4096, 0, 8],
      LUTExplanation: 'TISSUE',
      LUTData: Array.from({ length: 4096 }, (_, i) =>
        Math.max(0, Math.min(255, Math.round(((i - 800) / 400) * 255))),
      ),
      _vrMap: { LUTDescriptor: 'US', LUTData: 'US' },
    },
  ];
  const implantStudy = (['R', 'L'] as const).flatMap((laterality) =>
    (['inView', 'displaced'] as const).map((implant) =>
      makeMgImage({ studyUid: '1.2.826.0.1.3680043.10.1.10', name: `${laterality}CC-${implant}`, laterality, view: 'CC', implant }),
    ),
  );
  const implantOnly = (['R', 'L'] as const).map((laterality) =>
    makeMgImage({ studyUid: '1.2.826.0.1.3680043.10.1.11', name: `${laterality}MLO`, laterality, view: 'MLO', implant: 'inView' }),
  );
  return [
    {
      name: 'noFindings',
      headers: none,
      study: study(
        none[0].StudyInstanceUID,
        none.map((h) => imageFindings(h, [])),
      ),
    },
    {
      name: 'oneCluster',
      headers: one,
      study: study(
        one[0].StudyInstanceUID,
        one.map((h, i) => imageFindings(h, i === 2 ? [makeCluster(1, 60, 70, 0.87)] : [])),
      ),
    },
    {
      name: 'manyClusters',
      headers: many,
      study: study(
        many[0].StudyInstanceUID,
        many.map((h, i) =>
          imageFindings(h, [
            makeCluster(1, 40 + 10 * i, 50, 0.1 + 0.2 * i),
            makeCluster(2, 90, 120 - 10 * i, 0.05),
          ]),
        ),
      ),
    },
    {
      name: 'monochrome1',
      headers: mono1,
      study: study(mono1[0].StudyInstanceUID, [imageFindings(mono1[0], [makeCluster(1, 64, 80, 0.55)])]),
    },
    {
      name: 'forProcessing',
      headers: processing,
      study: study(processing[0].StudyInstanceUID, [
        imageFindings(processing[0], [makeCluster(1, 50, 90, 0.2)]),
      ]),
    },
    {
      name: 'mixedPhotometric',
      headers: mixed,
      study: study(
        mixed[0].StudyInstanceUID,
        mixed.map((h) => imageFindings(h, [makeCluster(1, 64, 80, 0.55)])),
      ),
    },
    {
      name: 'processingAndPresentation',
      headers: bothIntents,
      study: study(
        bothIntents[0].StudyInstanceUID,
        bothIntents.map((h) => imageFindings(h, [makeCluster(1, 64, 80, 0.55)])),
      ),
    },
    {
      name: 'voiLutOnly',
      headers: [lutOnly],
      study: study(lutOnly.StudyInstanceUID, [imageFindings(lutOnly, [makeCluster(1, 60, 70, 0.4)])]),
    },
    {
      name: 'oneImageFailed',
      headers: failing,
      study: study(
        failing[0].StudyInstanceUID,
        failing.map((h, i) => imageFindings(h, i === 0 ? [makeCluster(1, 64, 64, 0.45)] : [], i === 3 ? 'failed' : 'analysed')),
      ),
    },
    {
      // An implant study: each CC with the implant in the field (left out) and implant-displaced (analysed).
      name: 'implantViewsLeftOut',
      headers: implantStudy,
      study: study(
        implantStudy[0].StudyInstanceUID,
        implantStudy.map((h, i) => imageFindings(h, i === 1 ? [makeCluster(1, 60, 70, 0.62)] : [], i % 2 === 0 ? 'notAnalysed' : 'analysed')),
      ),
    },
    {
      name: 'onlyImplantViews',
      headers: implantOnly,
      study: study(
        implantOnly[0].StudyInstanceUID,
        implantOnly.map((h) => imageFindings(h, [], 'notAnalysed')),
      ),
    },
  ];
}

/** One scenario by name (throws on a typo rather than giving undefined). */
export function reportScenario(name: string): ReportScenario {
  const found = reportScenarios().find((s) => s.name === name);
  if (!found) throw new Error(`no report scenario named ${name}`);
  return found;
}

/** Fixed options for the report tests: a fixed clock keeps dates and golden files stable. */
export const testReportOptions: ReportOptions = {
  operatingPoint: 0.3,
  individualCalcifications: 'optional',
  now: new Date('2026-01-10T10:00:00Z'),
};
