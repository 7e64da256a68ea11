import { buildGsps, clusterLabel } from '../../../src/report/gsps';
import { reportScenario, testReportOptions } from '../../helpers/reportScenarios';

const options = testReportOptions;
const scenario = reportScenario;

describe('Grayscale Softcopy Presentation State', () => {
  test('one cluster: outline and label on its image, on the SUSPICIOUS layer', () => {
    const { study, headers } = scenario('oneCluster');
    const pr = buildGsps(study, headers, options);
    expect(pr.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.11.1');
    expect(pr.Modality).toBe('PR');
    expect(pr.SeriesNumber).toBe(9003);
    expect(pr.GraphicAnnotationSequence).toHaveLength(1);
    const a = pr.GraphicAnnotationSequence[0];
    const image = study.images[2];
    expect(a.ReferencedImageSequence[0].ReferencedSOPInstanceUID).toBe(image.sopInstanceUid);
    expect(a.GraphicLayer).toBe('SUSPICIOUS');
    expect(a.TextObjectSequence[0].UnformattedTextValue).toBe('Calc cluster 87%');
    const g = a.GraphicObjectSequence[0];
    expect([g.GraphicType, g.GraphicAnnotationUnits, g.GraphicDimensions]).toEqual(['POLYLINE', 'PIXEL', 2]);
    expect(g.NumberOfGraphicPoints * 2).toBe(g.GraphicData.length);
    expect(g.GraphicData).toEqual(image.clusters[0].outline.flatMap((p) => [p.x, p.y]));
    expect(pr.GraphicLayerSequence.map((l: any) => l.GraphicLayer)).toEqual(['SUSPICIOUS']);
    // The label box stays inside the image.
    const t = a.TextObjectSequence[0];
    for (const [x, y] of [t.BoundingBoxTopLeftHandCorner, t.BoundingBoxBottomRightHandCorner]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(image.columns);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(image.rows);
    }
  });

  test('a layer per rendering intent; every study image referenced with its own VOI and displayed area', () => {
    const { study, headers } = scenario('manyClusters');
    const pr = buildGsps(study, headers, options);
    expect(pr.GraphicLayerSequence.map((l: any) => l.GraphicLayer)).toEqual(['SUSPICIOUS', 'OTHER']);
    const layers = pr.GraphicAnnotationSequence.map((a: any) => a.GraphicLayer);
    expect(layers.filter((l: string) => l === 'OTHER').length).toBeGreaterThan(0);
    const referenced = pr.ReferencedSeriesSequence.flatMap((s: any) =>
      s.ReferencedImageSequence.map((r: any) => r.ReferencedSOPInstanceUID),
    );
    expect(referenced.sort()).toEqual(study.images.map((i) => i.sopInstanceUid).sort());
    expect(pr.SoftcopyVOILUTSequence).toHaveLength(4);
    expect([pr.SoftcopyVOILUTSequence[0].WindowCenter, pr.SoftcopyVOILUTSequence[0].WindowWidth]).toEqual([
      2000, 4000,
    ]);
    expect(pr.DisplayedAreaSelectionSequence[0].DisplayedAreaBottomRightHandCorner).toEqual([128, 160]);
    expect(pr.PresentationLUTShape).toBe('IDENTITY');
    expect(pr.Laterality).toBe('');
  });

  test('an image not analysed gets a note saying so on the NOT ANALYSED layer, so no marks never reads as nothing found', () => {
    const { study, headers } = scenario('implantViewsLeftOut');
    const pr = buildGsps(study, headers, options);
    expect(pr.GraphicLayerSequence.map((l: any) => l.GraphicLayer)).toEqual(['SUSPICIOUS', 'NOT ANALYSED']);
    const notes = pr.GraphicAnnotationSequence.filter((a: any) => a.GraphicLayer === 'NOT ANALYSED');
    const inView = study.images.filter((i) => i.status === 'notAnalysed');
    expect(notes.map((n: any) => n.ReferencedImageSequence[0].ReferencedSOPInstanceUID)).toEqual(inView.map((i) => i.sopInstanceUid));
    for (const [n, note] of notes.entries()) {
      expect(note.GraphicObjectSequence).toBeUndefined();
      const t = note.TextObjectSequence[0];
      expect(t.UnformattedTextValue).toBe('mammocad: not analysed, breast implant in the image');
      // Along the top edge, inside the image, on the side away from the chest wall (right for a left breast facing right).
      const [x0, y0] = t.BoundingBoxTopLeftHandCorner;
      const [x1, y1] = t.BoundingBoxBottomRightHandCorner;
      expect([y0, x1 <= inView[n].columns, y1 > y0, x1 > x0]).toEqual([0, true, true, true]);
      expect(inView[n].laterality === 'L' ? x1 === inView[n].columns : x0 === 0).toBe(true);
    }

    const failed = buildGsps(scenario('oneImageFailed').study, scenario('oneImageFailed').headers, options);
    const failedNotes = failed.GraphicAnnotationSequence.filter((a: any) => a.GraphicLayer === 'NOT ANALYSED');
    expect(failedNotes.map((n: any) => n.TextObjectSequence[0].UnformattedTextValue)).toEqual(['mammocad: this image could not be analysed']);
  });

  test('MONOCHROME1 keeps its look through an INVERSE presentation LUT', () => {
    const { study, headers } = scenario('monochrome1');
    const pr = buildGsps(study, headers, options);
    expect(pr.PresentationLUTShape).toBe('INVERSE');
    expect(pr.Laterality).toBe('L');
  });

  test('no findings: no annotation or layer, images still referenced', () => {
    const { study, headers } = scenario('noFindings');
    const pr = buildGsps(study, headers, options);
    expect(pr.GraphicAnnotationSequence).toBeUndefined();
    expect(pr.GraphicLayerSequence).toBeUndefined();
    expect(pr.ReferencedSeriesSequence).toHaveLength(4);
  });

  test('label gives the probability of cancer in whole percents rounded down, never above the operating point', () => {
    const cluster = scenario('oneCluster').study.images[2].clusters[0];
    expect(clusterLabel({ ...cluster, malignancy: 0.876 })).toBe('Calc cluster 87%');
    expect(clusterLabel({ ...cluster, malignancy: 0.2996 })).toBe('Calc cluster 29%');
    expect(clusterLabel({ ...cluster, malignancy: 0.3 })).toBe('Calc cluster 30%');
  });
});
