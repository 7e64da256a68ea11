/** The four screening views and what DICOM says about each (PS3.3 C.8.11.7, CID 4014 view codes). */
export type Laterality = 'L' | 'R';
export type ViewPosition = 'CC' | 'MLO';

export interface MammoView {
  laterality: Laterality;
  view: ViewPosition;
}

export const SCREENING_VIEWS: readonly MammoView[] = [
  { laterality: 'R', view: 'CC' },
  { laterality: 'L', view: 'CC' },
  { laterality: 'R', view: 'MLO' },
  { laterality: 'L', view: 'MLO' },
];

/** SNOMED CT view codes (CID 4014), coding scheme SCT. */
export const VIEW_CODES: Record<ViewPosition, { code: string; meaning: string }> = {
  CC: { code: '399162004', meaning: 'cranio-caudal' },
  MLO: { code: '399368009', meaning: 'medio-lateral oblique' },
};

/**
 * Patient Orientation (row direction \ column direction) for the usual way a mammogram is stored:
 * the chest wall on one side and the nipple pointing toward the other, the lateral (axillary) side
 * at the top (PS3.3 C.8.11.7.1; PS3.17 Annex A). The left breast faces right: moving along a row goes
 * from chest wall to nipple (A); the right breast is the mirror image (P). Down the columns a CC view
 * runs from lateral to medial (toward the other breast), an MLO view obliquely toward the feet and
 * medially.
 */
export function patientOrientation(view: MammoView): [string, string] {
  if (view.laterality === 'L') return view.view === 'CC' ? ['A', 'R'] : ['A', 'FR'];
  return view.view === 'CC' ? ['P', 'L'] : ['P', 'FL'];
}

/** Which image edge the chest wall lies on, with the orientation above. */
export function chestWallSide(laterality: Laterality): 'left' | 'right' {
  return laterality === 'L' ? 'left' : 'right';
}

export function viewName(view: MammoView): string {
  return `${view.laterality}_${view.view}`;
}
