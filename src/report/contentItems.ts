import type { Code } from './codes';
import type { NaturalDataset } from './naturalDataset';

/**
 * Builders for SR content items (PS3.3 C.17.3) in dcmjs naturalized form, shared by the TID 4000
 * and TID 1500 documents. By-reference relationships are declared against the target item object
 * and turned into Referenced Content Item Identifiers once the tree is complete, so builders never
 * count positions by hand.
 */
export type ContentItem = NaturalDataset;

export type Relationship =
  | 'CONTAINS'
  | 'HAS PROPERTIES'
  | 'HAS CONCEPT MOD'
  | 'HAS OBS CONTEXT'
  | 'HAS ACQ CONTEXT'
  | 'INFERRED FROM'
  | 'SELECTED FROM';

export type GraphicType = 'POINT' | 'MULTIPOINT' | 'POLYLINE' | 'CIRCLE' | 'ELLIPSE';

/** The target of each by-reference item, until resolveReferences writes its identifier. */
const referenceTargets = new WeakMap<ContentItem, ContentItem>();

export function codeSequenceItem(code: Code): NaturalDataset {
  return { CodeValue: code.value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning };
}

function base(
  relationship: Relationship | undefined,
  valueType: string,
  concept: Code | undefined,
): ContentItem {
  const item: ContentItem = {};
  if (relationship) item.RelationshipType = relationship;
  item.ValueType = valueType;
  if (concept) item.ConceptNameCodeSequence = [codeSequenceItem(concept)];
  return item;
}

function withChildren(item: ContentItem, children: ContentItem[] | undefined): ContentItem {
  if (children && children.length > 0) item.ContentSequence = children;
  return item;
}

export function containerItem(
  relationship: Relationship | undefined,
  concept: Code,
  children: ContentItem[],
  template?: string,
): ContentItem {
  const item = base(relationship, 'CONTAINER', concept);
  item.ContinuityOfContent = 'SEPARATE';
  if (template) item.ContentTemplateSequence = [{ MappingResource: 'DCMR', TemplateIdentifier: template }];
  return withChildren(item, children);
}

export function codeItem(
  relationship: Relationship,
  concept: Code,
  value: Code,
  children?: ContentItem[],
): ContentItem {
  const item = base(relationship, 'CODE', concept);
  item.ConceptCodeSequence = [codeSequenceItem(value)];
  return withChildren(item, children);
}

export function textItem(relationship: Relationship, concept: Code, text: string): ContentItem {
  const item = base(relationship, 'TEXT', concept);
  item.TextValue = text;
  return item;
}

export function uidRefItem(relationship: Relationship, concept: Code, uid: string): ContentItem {
  const item = base(relationship, 'UIDREF', concept);
  item.UID = uid;
  return item;
}

export function dateItem(relationship: Relationship, concept: Code, date: string): ContentItem {
  const item = base(relationship, 'DATE', concept);
  item.Date = date;
  return item;
}

export function timeItem(relationship: Relationship, concept: Code, time: string): ContentItem {
  const item = base(relationship, 'TIME', concept);
  item.Time = time;
  return item;
}

/** A Decimal String of at most 16 characters (the DS limit), without float noise. */
export function decimalString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  for (let digits = 10; digits >= 1; digits--) {
    const s = String(Number(value.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  return value.toExponential(6);
}

export function numItem(
  relationship: Relationship,
  concept: Code,
  value: number,
  units: Code,
  children?: ContentItem[],
): ContentItem {
  const item = base(relationship, 'NUM', concept);
  item.MeasuredValueSequence = [
    { NumericValue: decimalString(value), MeasurementUnitsCodeSequence: [codeSequenceItem(units)] },
  ];
  return withChildren(item, children);
}

export interface SopReference {
  sopClassUid: string;
  sopInstanceUid: string;
}

export function imageItem(
  relationship: Relationship | undefined,
  image: SopReference,
  children?: ContentItem[],
  concept?: Code,
): ContentItem {
  const item = base(relationship, 'IMAGE', concept);
  item.ReferencedSOPSequence = [
    { ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid },
  ];
  return withChildren(item, children);
}

/** A reference to a non-image object (an SR document, a presentation state). */
export function compositeItem(relationship: Relationship, object: SopReference): ContentItem {
  const item = base(relationship, 'COMPOSITE', undefined);
  item.ReferencedSOPSequence = [
    { ReferencedSOPClassUID: object.sopClassUid, ReferencedSOPInstanceUID: object.sopInstanceUid },
  ];
  return item;
}

export interface PixelPoint {
  x: number;
  y: number;
}

/** SCOORD in image pixel space: Graphic Data are (column,row) pairs. */
export function scoordItem(
  relationship: Relationship,
  concept: Code,
  graphicType: GraphicType,
  points: PixelPoint[],
  children: ContentItem[],
): ContentItem {
  const item = base(relationship, 'SCOORD', concept);
  item.GraphicType = graphicType;
  item.GraphicData = points.flatMap((p) => [p.x, p.y]);
  return withChildren(item, children);
}

/** A by-reference relationship to another item of the same document ("R-" in dsrdump). */
export function referenceTo(relationship: Relationship, target: ContentItem): ContentItem {
  const item: ContentItem = { RelationshipType: relationship };
  referenceTargets.set(item, target);
  return item;
}

/**
 * Writes the Referenced Content Item Identifier (path of 1-based positions from the root, the root
 * being 1) of every by-reference item in the tree. Throws when a target is not in the tree.
 */
export function resolveReferences(root: ContentItem): void {
  const paths = new Map<ContentItem, number[]>();
  const walk = (item: ContentItem, path: number[]): void => {
    paths.set(item, path);
    const children: ContentItem[] = item.ContentSequence ?? [];
    children.forEach((child, i) => walk(child, [...path, i + 1]));
  };
  walk(root, [1]);
  for (const item of paths.keys()) {
    const target = referenceTargets.get(item);
    if (!target) continue;
    const path = paths.get(target);
    if (!path) throw new Error('by-reference target is not part of the document tree');
    item.ReferencedContentItemIdentifier = path;
  }
}
