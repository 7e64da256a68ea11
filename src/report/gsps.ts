import type { ClusterFinding, ImageFindings, StudyFindings } from '../findings/types';
import { commonHeader, dicomDate, dicomTime } from './documentHeader';
import { closedOutline } from './clusterGeometry';
import type { NaturalDataset } from './naturalDataset';
import type { ReportOptions } from './reportOptions';
import { isPresentationRequired } from './renderingIntent';
import { pairImagesWithHeaders, type StudyImage } from './studyImages';
import { softcopyVoi } from './voiLut';

export const grayscaleSoftcopyPresentationStateSopClass = '1.2.840.10008.5.1.4.1.1.11.1';

/** One graphic layer per rendering intent: what must be seen above what may be seen. */
export const graphicLayers = {
  suspicious: {
    name: 'SUSPICIOUS',
    order: 1,
    grey: 0xffff,
    description: 'CAD marks at or above the operating point',
  },
  other: { name: 'OTHER', order: 2, grey: 0xa000, description: 'CAD marks below the operating point' },
  notAnalysed: { name: 'NOT ANALYSED', order: 3, grey: 0xffff, description: 'images CAD did not analyse, and why' },
} as const;

/**
 * The note on an image the node did not analyse. Without it a viewer applying the presentation state
 * shows that image without marks, which reads as "CAD found nothing" (models/README.md, Intended use).
 */
export function notAnalysedLabel(findings: ImageFindings): string {
  if (findings.status === 'notAnalysed') {
    // "not analysed: breast implant in the image (…); …" → "breast implant in the image"
    const why = (findings.failureReason ?? '').replace(/^not analysed: /, '').split(/[(;]/)[0].trim();
    return `mammocad: not analysed${why ? `, ${why}` : ''}`;
  }
  return 'mammocad: this image could not be analysed';
}

/** The note's box: along the top edge, on the side away from the chest wall when Patient Orientation tells it. */
function noteBox(image: StudyImage): { topLeft: number[]; bottomRight: number[] } {
  const { rows, columns, patientOrientation } = image.source;
  const height = Math.max(8, Math.round(rows * 0.03));
  const width = Math.min(columns, height * 16);
  // The row direction points toward the nipple: A for a left breast stored facing right, P for a right one.
  const anterior = patientOrientation?.[0];
  const left = anterior?.startsWith('A') ? columns - width : 0;
  return { topLeft: [left, 0], bottomRight: [left + width, height] };
}

/**
 * "Calc cluster 87%": what a reader sees next to the outline. Whole percents rounded down, so a
 * cluster below the operating point never reads as at it (29.6 % under 30 % reads 29 %).
 */
export function clusterLabel(cluster: ClusterFinding): string {
  return `Calc cluster ${Math.floor(cluster.malignancy * 100 + 1e-9)}%`;
}

const imageRef = (image: StudyImage): NaturalDataset => ({
  ReferencedSOPClassUID: image.source.sopClassUid,
  ReferencedSOPInstanceUID: image.source.sopInstanceUid,
});

/** Label box above the outline (below it when there is no room), kept inside the image. */
function labelBox(cluster: ClusterFinding, image: StudyImage): { topLeft: number[]; bottomRight: number[] } {
  const { rows, columns } = image.source;
  const height = Math.max(8, Math.round(rows * 0.03));
  const width = Math.min(columns, height * 8);
  const xs = cluster.outline.map((p) => p.x);
  const ys = cluster.outline.map((p) => p.y);
  const left = Math.min(Math.max(0, Math.min(...xs)), columns - width);
  const top =
    Math.min(...ys) - height >= 0 ? Math.min(...ys) - height : Math.min(rows - height, Math.max(...ys));
  return { topLeft: [left, top], bottomRight: [left + width, top + height] };
}

function annotations(images: StudyImage[], options: ReportOptions): NaturalDataset[] {
  const items: NaturalDataset[] = [];
  for (const image of images) {
    if (image.findings.status !== 'analysed') {
      const box = noteBox(image);
      items.push({
        ReferencedImageSequence: [imageRef(image)],
        GraphicLayer: graphicLayers.notAnalysed.name,
        TextObjectSequence: [
          {
            BoundingBoxAnnotationUnits: 'PIXEL',
            UnformattedTextValue: notAnalysedLabel(image.findings),
            BoundingBoxTopLeftHandCorner: box.topLeft,
            BoundingBoxBottomRightHandCorner: box.bottomRight,
            BoundingBoxTextHorizontalJustification: 'LEFT',
          },
        ],
      });
      continue;
    }
    for (const layer of [graphicLayers.suspicious, graphicLayers.other]) {
      const clusters = image.findings.clusters.filter(
        (c) => isPresentationRequired(c, options) === (layer === graphicLayers.suspicious),
      );
      if (clusters.length === 0) continue;
      items.push({
        ReferencedImageSequence: [imageRef(image)],
        GraphicLayer: layer.name,
        TextObjectSequence: clusters.map((c) => {
          const box = labelBox(c, image);
          return {
            BoundingBoxAnnotationUnits: 'PIXEL',
            UnformattedTextValue: clusterLabel(c),
            BoundingBoxTopLeftHandCorner: box.topLeft,
            BoundingBoxBottomRightHandCorner: box.bottomRight,
            BoundingBoxTextHorizontalJustification: 'LEFT',
          };
        }),
        GraphicObjectSequence: clusters.map((c) => {
          const outline = closedOutline(c, image.source);
          return {
            GraphicAnnotationUnits: 'PIXEL',
            GraphicDimensions: 2,
            NumberOfGraphicPoints: outline.length,
            // Same pixel space as the SR: (column,row) from the top-left corner of the top-left pixel.
            GraphicData: outline.flatMap((p) => [p.x, p.y]),
            GraphicType: 'POLYLINE',
            GraphicFilled: 'N',
          };
        }),
      });
    }
  }
  return items;
}

/** Softcopy VOI LUT per image from the source's own VOI, so the marks come with the usual look. */
function voiItems(images: StudyImage[], invertMonochrome1: boolean): NaturalDataset[] {
  return images.flatMap((image) => {
    const invert = invertMonochrome1 && image.source.photometricInterpretation === 'MONOCHROME1';
    const voi = softcopyVoi(image.source, invert);
    return voi ? [{ ReferencedImageSequence: [imageRef(image)], ...voi }] : [];
  });
}

/** The whole image, scaled to fit, one item per image (sizes differ between images). */
function displayedAreas(images: StudyImage[]): NaturalDataset[] {
  return images.map((image) => {
    const item: NaturalDataset = {
      ReferencedImageSequence: [imageRef(image)],
      DisplayedAreaTopLeftHandCorner: [1, 1],
      // Bottom right must lie strictly right of and below top left, even for a one-row placeholder.
      DisplayedAreaBottomRightHandCorner: [Math.max(2, image.source.columns), Math.max(2, image.source.rows)],
      PresentationSizeMode: 'SCALE TO FIT',
    };
    const spacing = image.source.pixelSpacing;
    if (spacing) item.PresentationPixelSpacing = [spacing.row, spacing.column];
    else item.PresentationPixelAspectRatio = [1, 1];
    return item;
  });
}

/** Modality LUT copied when every image shares the same rescale (the module applies to all of them). */
function modalityLut(images: StudyImage[]): NaturalDataset {
  const rescales = images.map((i) =>
    [i.header.RescaleSlope, i.header.RescaleIntercept, i.header.RescaleType].join('|'),
  );
  const first = images[0]?.header;
  if (!first || first.RescaleSlope === undefined || new Set(rescales).size !== 1) return {};
  return {
    RescaleSlope: first.RescaleSlope,
    RescaleIntercept: first.RescaleIntercept ?? 0,
    RescaleType: first.RescaleType || 'US',
  };
}

const forPresentation = '1.2.840.10008.5.1.4.1.1.1.2';

/**
 * The images a presentation state can apply to: all of one SOP class (dcmtk refuses to display a
 * presentation state that mixes classes). When a study holds both the For Processing and the For
 * Presentation version of its views, the For Presentation images are the ones readers look at;
 * the marks on the others stay in both SRs.
 */
export function presentedImages(images: StudyImage[]): StudyImage[] {
  const classes = new Map<string, StudyImage[]>();
  for (const image of images)
    classes.set(image.source.sopClassUid, [...(classes.get(image.source.sopClassUid) ?? []), image]);
  if (classes.size <= 1) return images;
  return classes.get(forPresentation) ?? [...classes.values()].sort((a, b) => b.length - a.length)[0];
}

/** One Grayscale Softcopy Presentation State for the study, with the CAD marks of its images. */
export function buildGsps(
  study: StudyFindings,
  headers: readonly NaturalDataset[],
  options: ReportOptions,
): NaturalDataset {
  const images = presentedImages(pairImagesWithHeaders(study, headers));
  const now = options.now ?? new Date();
  const bySeries = new Map<string, NaturalDataset[]>();
  for (const image of images) {
    const list = bySeries.get(image.source.seriesUid) ?? [];
    list.push(imageRef(image));
    bySeries.set(image.source.seriesUid, list);
  }
  const notes = annotations(images, options);
  const usedLayers = [graphicLayers.suspicious, graphicLayers.other, graphicLayers.notAnalysed].filter((l) =>
    notes.some((n) => n.GraphicLayer === l.name),
  );
  // MONOCHROME1 sources keep their look only inverted. One Presentation LUT serves every image, so
  // it inverts only when all are MONOCHROME1; in a mixed study their VOI LUTs invert them instead.
  const lateralities = new Set(images.map((i) => i.source.laterality ?? ''));
  const monochrome1 = images.map((i) => i.source.photometricInterpretation === 'MONOCHROME1');
  const inverse = monochrome1.length > 0 && monochrome1.every(Boolean);
  const ds: NaturalDataset = {
    ...commonHeader(study, images, 'gsps', grayscaleSoftcopyPresentationStateSopClass, 'PR', options),
    ContentLabel: 'MAMMOCAD',
    ContentDescription: 'CAD calcification marks',
    PresentationCreationDate: dicomDate(now),
    PresentationCreationTime: dicomTime(now),
    ContentCreatorName: '',
    ReferencedSeriesSequence: [...bySeries].map(([uid, refs]) => ({
      SeriesInstanceUID: uid,
      ReferencedImageSequence: refs,
    })),
    DisplayedAreaSelectionSequence: displayedAreas(images),
    ...modalityLut(images),
    PresentationLUTShape: inverse ? 'INVERSE' : 'IDENTITY',
    // General Series Type 2C: one breast's value when every image shows the same one, else empty.
    Laterality: lateralities.size === 1 ? [...lateralities][0] : '',
  };
  const voi = voiItems(images, !inverse);
  if (voi.length > 0) ds.SoftcopyVOILUTSequence = voi;
  if (notes.length > 0) {
    ds.GraphicAnnotationSequence = notes;
    ds.GraphicLayerSequence = usedLayers.map((l) => ({
      GraphicLayer: l.name,
      GraphicLayerOrder: l.order,
      GraphicLayerRecommendedDisplayGrayscaleValue: l.grey,
      GraphicLayerDescription: l.description,
    }));
  }
  return ds;
}
