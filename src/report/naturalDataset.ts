import type { NaturalDataset } from '../dicom/datasetFile';

export type { NaturalDataset };

/** First value of a possibly multi-valued naturalized attribute. */
export function firstValue<T = unknown>(ds: NaturalDataset, keyword: string): T | undefined {
  const v = ds[keyword];
  if (v === undefined || v === null || v === '') return undefined;
  return (Array.isArray(v) ? v[0] : v) as T;
}

/** All values of an attribute as an array (empty when absent). */
export function allValues<T = unknown>(ds: NaturalDataset, keyword: string): T[] {
  const v = ds[keyword];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}
