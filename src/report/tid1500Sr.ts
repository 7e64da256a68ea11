import type { StudyFindings } from '../findings/types';
import { codes } from './codes';
import {
  codeItem,
  containerItem,
  type ContentItem,
  imageItem,
  numItem,
  resolveReferences,
  scoordItem,
  textItem,
  uidRefItem,
} from './contentItems';
import { commonHeader, manufacturer, manufacturerModelName, srDocumentGeneral } from './documentHeader';
import { imageAcquisitionContext } from './imageLibrary';
import { closedOutline } from './clusterGeometry';
import { reportedPercent } from './renderingIntent';
import type { NaturalDataset } from './naturalDataset';
import type { ReportOptions } from './reportOptions';
import { algorithmIdentities, pairImagesWithHeaders, type StudyImage } from './studyImages';
import { deterministicUid } from './uids';

export const comprehensiveSrSopClass = '1.2.840.10008.5.1.4.1.1.88.33';

/** TID 1001/1002/1004: the device that made the observations. */
function deviceObserverContext(study: StudyFindings): ContentItem[] {
  const rel = 'HAS OBS CONTEXT' as const;
  return [
    codeItem(rel, codes.observerType, codes.device),
    uidRefItem(
      rel,
      codes.deviceObserverUid,
      deterministicUid('mammocad device observer', ...algorithmIdentities(study)),
    ),
    textItem(rel, codes.deviceObserverName, 'mammocad'),
    textItem(rel, codes.deviceObserverManufacturer, manufacturer),
    textItem(rel, codes.deviceObserverModelName, manufacturerModelName),
  ];
}

/**
 * Tracking identifier of a cluster, stable across re-runs: "<laterality><view> calcification cluster
 * <index>". The tracking UID is derived from the image and the cluster index.
 */
export function trackingIdentifier(where: string, index: number): string {
  return `${where ? where + ' ' : ''}calcification cluster ${index}`;
}

/**
 * "<laterality><view>" of each analysed image; where a view repeats in the study (a retake, an
 * implant-displaced view) its images are numbered in report order, so that tracking identifiers
 * stay unique within the report (TID 4108).
 */
export function viewLabels(images: StudyImage[]): Map<StudyImage, string> {
  const analysed = images.filter((i) => i.findings.status === 'analysed');
  const base = (i: StudyImage) => `${i.source.laterality ?? ''}${i.findings.view ?? ''}`.trim();
  const total = new Map<string, number>();
  for (const i of analysed) total.set(base(i), (total.get(base(i)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return new Map(
    analysed.map((i) => {
      const where = base(i);
      if (total.get(where)! < 2) return [i, where];
      seen.set(where, (seen.get(where) ?? 0) + 1);
      return [i, `${where} image ${seen.get(where)}`.trim()];
    }),
  );
}

/** TID 1410 Planar ROI measurement group for one cluster. */
function measurementGroups(images: StudyImage[], study: StudyFindings): ContentItem[] {
  const groups: ContentItem[] = [];
  const labels = viewLabels(images);
  for (const image of images) {
    if (image.findings.status !== 'analysed') continue;
    for (const cluster of image.findings.clusters) {
      const trackingUid = deterministicUid(
        study.studyUid,
        image.source.sopInstanceUid,
        'cluster',
        String(cluster.index),
        ...algorithmIdentities(study),
      );
      groups.push(
        containerItem(
          'CONTAINS',
          codes.measurementGroup,
          [
            textItem('HAS OBS CONTEXT', codes.trackingIdentifier, trackingIdentifier(labels.get(image)!, cluster.index)),
            uidRefItem('HAS OBS CONTEXT', codes.trackingUniqueIdentifier, trackingUid),
            codeItem('CONTAINS', codes.finding, codes.calcificationCluster),
            // The region SELECTED FROM the image by value: OHIF reads it only this way.
            scoordItem('CONTAINS', codes.imageRegion, 'POLYLINE', closedOutline(cluster, image.source), [
              imageItem('SELECTED FROM', image.source),
            ]),
            numItem('CONTAINS', codes.probabilityOfCancer, reportedPercent(cluster.malignancy), codes.percent),
          ],
          '1410',
        ),
      );
    }
  }
  return groups;
}

export function tid1500ContentTree(study: StudyFindings, images: StudyImage[]): ContentItem {
  const library = images.map((image) =>
    imageItem('CONTAINS', image.source, imageAcquisitionContext(image.source, 'generic')),
  );
  const root = containerItem(
    undefined,
    codes.imagingMeasurementReport,
    [
      codeItem('HAS CONCEPT MOD', codes.languageOfContentItemAndDescendants, codes.english),
      ...deviceObserverContext(study),
      codeItem('HAS CONCEPT MOD', codes.procedureReported, codes.imagingProcedure),
      containerItem('CONTAINS', codes.imageLibrary, [
        containerItem('CONTAINS', codes.imageLibraryGroup, library),
      ]),
      containerItem('CONTAINS', codes.imagingMeasurements, measurementGroups(images, study)),
    ],
    '1500',
  );
  resolveReferences(root);
  return root;
}

/** The Comprehensive SR (TID 1500 Measurement Report) for a study, as a naturalized dataset. */
export function buildTid1500Sr(
  study: StudyFindings,
  headers: readonly NaturalDataset[],
  options: ReportOptions,
): NaturalDataset {
  const images = pairImagesWithHeaders(study, headers);
  return {
    ...commonHeader(study, images, 'tid1500Sr', comprehensiveSrSopClass, 'SR', options),
    ...srDocumentGeneral(study, images, options),
    ...tid1500ContentTree(study, images),
  };
}
