import * as fs from 'fs';
import type { SourceHeader } from './reportAdapter';

// dcmjs ships no type declarations.
const dcmjsData: any = require('dcmjs').data;

/**
 * Reads a Part 10 file's dataset up to (not including) Pixel Data and naturalises it: what the
 * reports copy from the source images (patient/study attributes, view, spacing, windows).
 */
export function readSourceHeader(file: string): SourceHeader {
  const bytes = fs.readFileSync(file);
  const message = dcmjsData.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), {
    untilTag: '7FE00010',
    includeUntilTagValue: false,
    ignoreErrors: true,
  });
  return dcmjsData.DicomMetaDictionary.naturalizeDataset(message.dict) as SourceHeader;
}
