/**
 * A synthetic mammogram before detection and quantisation: the X-ray attenuation line integral
 * A = -ln(I / I0) per pixel (0 in air, about 1.5-4 through a compressed breast), which is where
 * calcifications are added (they absorb more), before any noise, log conversion or quantisation.
 */
export interface AttenuationImage {
  width: number;
  height: number;
  spacingMm: number;
  attenuation: Float32Array;
  /** 1 inside the breast (skin included), 0 in air. */
  breastMask: Uint8Array;
}

export function createAttenuationImage(width: number, height: number, spacingMm: number): AttenuationImage {
  return {
    width,
    height,
    spacingMm,
    attenuation: new Float32Array(width * height),
    breastMask: new Uint8Array(width * height),
  };
}
