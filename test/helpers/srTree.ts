import type { NaturalDataset } from '../../src/report/naturalDataset';

/** Test helpers to look into naturalized SR content trees. */
export const concept = (item: NaturalDataset): string | undefined =>
  item.ConceptNameCodeSequence?.[0]?.CodeValue;
export const codeValue = (item: NaturalDataset): string | undefined =>
  item.ConceptCodeSequence?.[0]?.CodeValue;
export const codeMeaning = (item: NaturalDataset): string | undefined =>
  item.ConceptCodeSequence?.[0]?.CodeMeaning;
export const children = (item: NaturalDataset): NaturalDataset[] => item.ContentSequence ?? [];
export const childrenWith = (item: NaturalDataset, code: string): NaturalDataset[] =>
  children(item).filter((c) => concept(c) === code);
export const child = (item: NaturalDataset, code: string): NaturalDataset => {
  const found = childrenWith(item, code);
  if (found.length === 0) throw new Error(`no child ${code}`);
  return found[0];
};
export const numValue = (item: NaturalDataset): number => Number(item.MeasuredValueSequence[0].NumericValue);

/** Every item of the tree with its path of 1-based positions (root = [1]). */
export function allItems(root: NaturalDataset): { item: NaturalDataset; path: number[] }[] {
  const out: { item: NaturalDataset; path: number[] }[] = [];
  const walk = (item: NaturalDataset, path: number[]): void => {
    out.push({ item, path });
    children(item).forEach((c, i) => walk(c, [...path, i + 1]));
  };
  walk(root, [1]);
  return out;
}

export function itemAt(root: NaturalDataset, path: number[]): NaturalDataset | undefined {
  let item: NaturalDataset | undefined = root;
  for (const i of path.slice(1)) item = item?.ContentSequence?.[i - 1];
  return item;
}

/** Every SCOORD with the SOP Instance UID it is selected from (by value or by reference). */
export function scoordsWithImages(
  root: NaturalDataset,
): { scoord: NaturalDataset; sopInstanceUid: string }[] {
  return allItems(root)
    .filter(({ item }) => item.ValueType === 'SCOORD')
    .map(({ item }) => {
      const from = children(item).find((c) => c.RelationshipType === 'SELECTED FROM')!;
      const image = from.ReferencedContentItemIdentifier
        ? itemAt(root, from.ReferencedContentItemIdentifier)
        : from;
      return { scoord: item, sopInstanceUid: image!.ReferencedSOPSequence[0].ReferencedSOPInstanceUID };
    });
}
