import type { AlgorithmIdentity, ClusterFinding, StudyFindings } from '../findings/types';
import { calcificationDistributionCodes, calcificationTypeCodes, type Code, codes } from './codes';
import {
  codeItem,
  containerItem,
  type ContentItem,
  numItem,
  referenceTo,
  resolveReferences,
  scoordItem,
  textItem,
} from './contentItems';
import { closedOutline, insideImage } from './clusterGeometry';
import { commonHeader, srDocumentGeneral } from './documentHeader';
import { imageLibraryEntries } from './imageLibrary';
import type { NaturalDataset } from './naturalDataset';
import type { ReportOptions } from './reportOptions';
import { clusterIntent, maximumOperatingPoint, operatingPointOf, reportedPercent, speckIntent } from './renderingIntent';
import { pairImagesWithHeaders, type StudyImage } from './studyImages';

export const mammographyCadSrSopClass = '1.2.840.10008.5.1.4.1.1.88.50';

/** TID 4019 Algorithm Identification as properties of a finding or detection. */
function algorithmItems(algorithm: AlgorithmIdentity): ContentItem[] {
  return [
    textItem('HAS PROPERTIES', codes.algorithmName, algorithm.name),
    textItem('HAS PROPERTIES', codes.algorithmVersion, algorithm.version),
  ];
}

function intentItem(intent: Code, probability?: number): ContentItem {
  // TID 4006 row 3: an optional finding says from which operating point on it is shown.
  const children =
    probability === undefined
      ? undefined
      : [
          numItem(
            'HAS PROPERTIES',
            codes.cadOperatingPoint,
            operatingPointOf(probability),
            codes.operatingPointRange,
          ),
        ];
  return codeItem('HAS CONCEPT MOD', codes.renderingIntent, intent, children);
}

/** TID 4006 Single Image Finding for one cluster, with its individual calcifications inferred from it. */
function clusterFinding(
  cluster: ClusterFinding,
  image: StudyImage,
  libraryImage: ContentItem,
  options: ReportOptions,
): { finding: ContentItem; intent: Code } {
  const algorithm = image.findings.algorithm;
  const extent = image.source;
  const intent = clusterIntent(cluster, options);
  const optional = intent === codes.presentationOptional;
  const children: ContentItem[] = [
    intentItem(intent, optional ? cluster.malignancy : undefined),
    ...algorithmItems(algorithm),
    numItem('HAS PROPERTIES', codes.certaintyOfFinding, reportedPercent(cluster.detectionScore), codes.percent),
    numItem('HAS PROPERTIES', codes.probabilityOfCancer, reportedPercent(cluster.malignancy), codes.percent),
    scoordItem(
      'HAS PROPERTIES',
      codes.center,
      'POINT',
      [insideImage(cluster.center, extent)],
      [referenceTo('SELECTED FROM', libraryImage)],
    ),
    scoordItem('HAS PROPERTIES', codes.outline, 'POLYLINE', closedOutline(cluster, extent), [
      referenceTo('SELECTED FROM', libraryImage),
    ]),
  ];
  // TID 4006 row order: the inferred individual calcifications (row 10) come before the
  // TID 4010 cluster description (rows 11-14); PixelMed's -checkcontentitemorder accepts this order.
  if (options.individualCalcifications !== 'omit') {
    const speck = speckIntent(options.individualCalcifications);
    for (const calc of cluster.calcifications) {
      children.push(
        codeItem('INFERRED FROM', codes.singleImageFinding, codes.individualCalcification, [
          intentItem(speck),
          ...algorithmItems(algorithm),
          numItem('HAS PROPERTIES', codes.certaintyOfFinding, reportedPercent(calc.score), codes.percent),
          scoordItem(
            'HAS PROPERTIES',
            codes.center,
            'POINT',
            [insideImage(calc.center, extent)],
            [referenceTo('SELECTED FROM', libraryImage)],
          ),
        ]),
      );
    }
  }
  // TID 4010 Calcification Cluster description.
  for (const type of cluster.morphology) {
    children.push(codeItem('HAS PROPERTIES', codes.calcificationType, calcificationTypeCodes[type]));
  }
  children.push(
    codeItem(
      'HAS PROPERTIES',
      codes.calcificationDistribution,
      calcificationDistributionCodes[cluster.distribution],
    ),
  );
  children.push(
    numItem('HAS PROPERTIES', codes.numberOfCalcifications, cluster.calcifications.length, codes.noUnits),
  );
  return {
    finding: codeItem('CONTAINS', codes.singleImageFinding, codes.calcificationCluster, children),
    intent,
  };
}

/** Images the node tried to analyse: those left out by configuration (implant views) were not attempted. */
function attempted(images: StudyImage[]): StudyImage[] {
  return images.filter((i) => i.findings.status !== 'notAnalysed');
}

function findingsSummary(images: StudyImage[], withFindings: boolean): Code {
  const failed = images.filter((i) => i.findings.status === 'failed').length;
  if (failed === images.length) return codes.noneSucceededWithoutFindings;
  if (failed > 0)
    return withFindings ? codes.notAllSucceededWithFindings : codes.notAllSucceededWithoutFindings;
  return withFindings ? codes.allSucceededWithFindings : codes.allSucceededWithoutFindings;
}

/** TID 4015/4017: what ran on which images, by reference to the library. */
function detectionsContainer(
  concept: Code,
  images: StudyImage[],
  library: Map<string, ContentItem>,
  options: ReportOptions,
): ContentItem {
  const byAlgorithm = new Map<string, { algorithm: AlgorithmIdentity; images: StudyImage[] }>();
  for (const image of images) {
    const key = `${image.findings.algorithm.name}\u0000${image.findings.algorithm.version}`;
    const entry = byAlgorithm.get(key) ?? { algorithm: image.findings.algorithm, images: [] };
    entry.images.push(image);
    byAlgorithm.set(key, entry);
  }
  const detections: ContentItem[] = [];
  for (const { algorithm, images: ran } of byAlgorithm.values()) {
    for (const target of [codes.calcificationCluster, codes.individualCalcification]) {
      const children = [
        ...algorithmItems(algorithm),
        ...ran.map((i) => referenceTo('HAS PROPERTIES', library.get(i.source.sopInstanceUid)!)),
      ];
      if (target === codes.calcificationCluster && concept === codes.successfulDetections) {
        // TID 4023: the scale the clusters' CAD Operating Points refer to.
        const recommended = operatingPointOf(options.operatingPoint);
        children.push(
          numItem(
            'HAS PROPERTIES',
            codes.maximumCadOperatingPoint,
            maximumOperatingPoint,
            codes.arbitraryUnit,
          ),
        );
        children.push(
          numItem(
            'HAS PROPERTIES',
            codes.recommendedCadOperatingPoint,
            recommended,
            codes.recommendedOperatingPointRange,
          ),
        );
      }
      detections.push(codeItem('CONTAINS', codes.detectionPerformed, target, children));
    }
  }
  return containerItem('INFERRED FROM', concept, detections);
}

function detectionsSummary(
  images: StudyImage[],
  library: Map<string, ContentItem>,
  options: ReportOptions,
): ContentItem {
  const succeeded = images.filter((i) => i.findings.status === 'analysed');
  const failed = images.filter((i) => i.findings.status === 'failed');
  const status =
    images.length === 0
      ? codes.notAttempted
      : failed.length === 0
        ? codes.succeeded
        : succeeded.length === 0
          ? codes.failed
          : codes.partlySucceeded;
  const children: ContentItem[] = [];
  if (succeeded.length > 0)
    children.push(detectionsContainer(codes.successfulDetections, succeeded, library, options));
  if (failed.length > 0) children.push(detectionsContainer(codes.failedDetections, failed, library, options));
  return codeItem('CONTAINS', codes.summaryOfDetections, status, children);
}

/**
 * The TID 4000 content tree (root container and everything below it). The library holds every image
 * of the study; the summaries speak of the images analysis was attempted on, so a study whose
 * implant views were left out reads "Succeeded" on its other views, and one of implant views only
 * reads "Not Attempted".
 */
export function mammoCadContentTree(images: StudyImage[], options: ReportOptions): ContentItem {
  const library = imageLibraryEntries(images.map((i) => i.source));
  const impressions: ContentItem[] = [];
  for (const image of images) {
    if (image.findings.status !== 'analysed') continue;
    const libraryImage = library.get(image.source.sopInstanceUid)!;
    for (const cluster of image.findings.clusters) {
      const { finding, intent } = clusterFinding(cluster, image, libraryImage, options);
      impressions.push(
        containerItem('INFERRED FROM', codes.individualImpressionRecommendation, [
          codeItem('HAS CONCEPT MOD', codes.renderingIntent, intent),
          finding,
        ]),
      );
    }
  }
  const root = containerItem(
    undefined,
    codes.mammographyCadReport,
    [
      codeItem('HAS CONCEPT MOD', codes.languageOfContentItemAndDescendants, codes.english),
      containerItem('CONTAINS', codes.imageLibrary, [...library.values()]),
      codeItem(
        'CONTAINS',
        codes.cadProcessingAndFindingsSummary,
        findingsSummary(attempted(images), impressions.length > 0),
        impressions,
      ),
      detectionsSummary(attempted(images), library, options),
      codeItem('CONTAINS', codes.summaryOfAnalyses, codes.notAttempted),
    ],
    '4000',
  );
  resolveReferences(root);
  return root;
}

/** The complete Mammography CAD SR instance for a study, as a naturalized dataset. */
export function buildMammoCadSr(
  study: StudyFindings,
  headers: readonly NaturalDataset[],
  options: ReportOptions,
): NaturalDataset {
  const images = pairImagesWithHeaders(study, headers);
  const root = mammoCadContentTree(images, options);
  return {
    ...commonHeader(study, images, 'mammoCadSr', mammographyCadSrSopClass, 'SR', options),
    ...srDocumentGeneral(study, images, options),
    ...root,
  };
}
