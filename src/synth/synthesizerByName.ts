import { proceduralMammogram } from './proceduralMammogram';
import { gradientMammogram, type MammogramSynthesizer } from './syntheticMammogram';

/** The content generators a script can ask for by name. */
export function synthesizerByName(name: string): MammogramSynthesizer {
  switch (name) {
    case 'gradient':
      return gradientMammogram;
    case 'procedural':
      return proceduralMammogram;
    default:
      throw new Error(`unknown tissue "${name}" (gradient, procedural)`);
  }
}
