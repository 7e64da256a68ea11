/** A mark to draw over an image, in that image's pixel space ((column,row), origin top-left corner). */
export interface Mark {
  shape: 'polyline' | 'point';
  points: { x: number; y: number }[];
  /** Presentation Required marks are drawn emphasised; optional ones subdued. */
  emphasis: 'required' | 'optional';
  /** A cluster outline, a cluster centre, or a single calcification. */
  role: 'outline' | 'center' | 'calcification';
  label?: string;
}
