import fs from 'node:fs/promises';
import { PNG } from 'pngjs';
import { decodePixels, isNotAnalysable } from '../../imaging';
import { part10ToDataset } from '../../dicom/datasetFile';
import { toDisplayImage, type DisplayImage } from './displayImage';
import { canvasFrom, drawMarks } from './drawMarks';
import type { Mark } from './marks';
import { readMarks } from './readMarks';

export interface RenderResult {
  png: Buffer;
  image: DisplayImage;
  marks: Mark[];
}

/**
 * Draws an image (windowed, downscaled to maxWidth) with the marks a produced SR or GSPS puts on it,
 * as a PNG. Throws when the image cannot be decoded.
 */
export async function renderMarks(
  imagePath: string,
  marksPath: string | undefined,
  maxWidth = 1024,
): Promise<RenderResult> {
  const bytes = await fs.readFile(imagePath);
  const header = naming(imagePath, () => part10ToDataset(bytes));
  const decoded = await decodePixels(new Uint8Array(bytes));
  if (isNotAnalysable(decoded)) throw new Error(`${imagePath}: ${decoded.reason}`);
  const image = toDisplayImage(decoded, header, maxWidth);
  let marks: Mark[] = [];
  if (marksPath) {
    const marksBytes = await fs.readFile(marksPath);
    marks = naming(marksPath, () => readMarks(part10ToDataset(marksBytes), String(header.SOPInstanceUID)));
  }
  const rgba = canvasFrom(image);
  drawMarks(rgba, image, marks);
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(rgba);
  return { png: PNG.sync.write(png), image, marks };
}

/** A file's errors name the file: the operator gave two. */
function naming<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
