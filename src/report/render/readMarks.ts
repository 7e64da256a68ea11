import type { NaturalDataset } from '../naturalDataset';
import type { Mark } from './marks';

const presentationRequired = '111150';
const calcificationCluster = '129769006';
const individualCalcification = '129770007';

function conceptValue(item: NaturalDataset): string | undefined {
  return item.ConceptNameCodeSequence?.[0]?.CodeValue;
}

function pairs(data: number[]): { x: number; y: number }[] {
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) points.push({ x: Number(data[i]), y: Number(data[i + 1]) });
  return points;
}

/** The SOP Instance UID an SCOORD was selected from, by value or by reference to a library IMAGE. */
function selectedFrom(
  scoord: NaturalDataset,
  itemAt: (path: number[]) => NaturalDataset | undefined,
): string | undefined {
  for (const child of scoord.ContentSequence ?? []) {
    if (child.RelationshipType !== 'SELECTED FROM') continue;
    const target = child.ReferencedContentItemIdentifier
      ? itemAt(child.ReferencedContentItemIdentifier.map(Number))
      : child;
    const uid = target?.ReferencedSOPSequence?.[0]?.ReferencedSOPInstanceUID;
    if (uid) return String(uid);
  }
  return undefined;
}

/** Marks of an SR (TID 4000 or TID 1500) on one image. */
function marksFromSr(sr: NaturalDataset, sopInstanceUid: string): Mark[] {
  const itemAt = (path: number[]): NaturalDataset | undefined => {
    let item: NaturalDataset | undefined = sr;
    for (const index of path.slice(1)) item = item?.ContentSequence?.[index - 1];
    return item;
  };
  const marks: Mark[] = [];
  const walk = (
    item: NaturalDataset,
    context: { emphasis: Mark['emphasis']; speck: boolean; label?: string },
  ): void => {
    const children: NaturalDataset[] = item.ContentSequence ?? [];
    let ctx = context;
    if (item.ValueType === 'CODE' || item.ValueType === 'CONTAINER') {
      const value = item.ConceptCodeSequence?.[0]?.CodeValue;
      const intent = children.find((c) => conceptValue(c) === '111056');
      const probability = children.find((c) => c.ValueType === 'NUM' && conceptValue(c) === '111047');
      ctx = {
        emphasis: intent
          ? intent.ConceptCodeSequence?.[0]?.CodeValue === presentationRequired
            ? 'required'
            : 'optional'
          : ctx.emphasis,
        speck: value === individualCalcification ? true : value === calcificationCluster ? false : ctx.speck,
        label: probability
          ? `Calc cluster ${Math.floor(Number(probability.MeasuredValueSequence?.[0]?.NumericValue) + 1e-9)}%`
          : ctx.label,
      };
    }
    for (const child of children) {
      if (child.ValueType === 'SCOORD' && selectedFrom(child, itemAt) === sopInstanceUid) {
        const points = pairs(child.GraphicData ?? []);
        const isPoint = child.GraphicType === 'POINT';
        marks.push({
          shape: isPoint ? 'point' : 'polyline',
          points,
          emphasis: ctx.emphasis,
          role: isPoint ? (ctx.speck ? 'calcification' : 'center') : 'outline',
          label: isPoint ? undefined : ctx.label,
        });
      } else if (child.ValueType) {
        walk(child, ctx);
      }
    }
  };
  walk(sr, { emphasis: 'required', speck: false });
  return marks;
}

/** Marks of a GSPS on one image: its graphic objects, emphasised on the SUSPICIOUS layer. */
function marksFromGsps(pr: NaturalDataset, sopInstanceUid: string): Mark[] {
  const marks: Mark[] = [];
  for (const annotation of pr.GraphicAnnotationSequence ?? []) {
    const refs: NaturalDataset[] = annotation.ReferencedImageSequence ?? [];
    if (refs.length > 0 && !refs.some((r) => r.ReferencedSOPInstanceUID === sopInstanceUid)) continue;
    const emphasis = annotation.GraphicLayer === 'SUSPICIOUS' ? 'required' : 'optional';
    const texts: NaturalDataset[] = annotation.TextObjectSequence ?? [];
    (annotation.GraphicObjectSequence ?? []).forEach((g: NaturalDataset, i: number) => {
      if (g.GraphicAnnotationUnits !== 'PIXEL') return;
      const points = pairs(g.GraphicData ?? []);
      marks.push({
        shape: g.GraphicType === 'POINT' ? 'point' : 'polyline',
        points,
        emphasis,
        role: g.GraphicType === 'POINT' ? 'center' : 'outline',
        label: texts[i]?.UnformattedTextValue,
      });
    });
  }
  return marks;
}

/** The marks a produced SR or GSPS puts on one image; anything else (an image given by mistake) is refused. */
export function readMarks(object: NaturalDataset, sopInstanceUid: string): Mark[] {
  if (object.Modality === 'PR' || object.GraphicAnnotationSequence)
    return marksFromGsps(object, sopInstanceUid);
  if (object.Modality === 'SR' || String(object.SOPClassUID ?? '').startsWith('1.2.840.10008.5.1.4.1.1.88.'))
    return marksFromSr(object, sopInstanceUid);
  throw new Error(
    `the marks file is neither a presentation state nor a structured report (Modality ${String(object.Modality ?? 'none')}, SOP Class ${String(object.SOPClassUID ?? 'none')})`,
  );
}
