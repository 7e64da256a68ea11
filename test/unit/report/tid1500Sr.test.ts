import { buildTid1500Sr } from '../../../src/report/tid1500Sr';
import { reportScenario, testReportOptions } from '../../helpers/reportScenarios';
import {
  child,
  childrenWith,
  codeMeaning,
  codeValue,
  concept,
  children,
  numValue,
} from '../../helpers/srTree';

const options = testReportOptions;
const scenario = reportScenario;

describe('Comprehensive SR with TID 1500', () => {
  test('root: observation context (device), procedure reported, image library, measurements', () => {
    const { study, headers } = scenario('oneCluster');
    const sr = buildTid1500Sr(study, headers, options);
    expect(sr.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.88.33');
    expect(sr.ContentTemplateSequence[0].TemplateIdentifier).toBe('1500');
    expect(sr.ConceptNameCodeSequence[0].CodeValue).toBe('126000');
    expect(codeValue(child(sr, '121005'))).toBe('121007');
    expect(child(sr, '121012').UID).toMatch(/^2\.25\./);
    expect(codeMeaning(child(sr, '121058'))).toBe('Imaging procedure');
    const group = child(child(sr, '111028'), '126200');
    expect(children(group)).toHaveLength(4);
    expect(codeMeaning(child(children(group)[0], '111027'))).toBe('Right');
    expect(sr.SeriesNumber).toBe(9002);
  });

  test('one measurement group per cluster with tracking id and UID, region selected by value, probability', () => {
    const { study, headers } = scenario('manyClusters');
    const sr = buildTid1500Sr(study, headers, options);
    const groups = childrenWith(child(sr, '126010'), '125007');
    expect(groups).toHaveLength(8);
    const uids = new Set<string>();
    for (const g of groups) {
      expect(children(g).map(concept)).toEqual(['112039', '112040', '121071', '111030', '111047']);
      expect(child(g, '112039').TextValue).toMatch(/calcification cluster [12]$/);
      uids.add(child(g, '112040').UID);
      expect(codeValue(child(g, '121071'))).toBe('129769006');
      const region = child(g, '111030');
      expect(region.GraphicType).toBe('POLYLINE');
      const from = children(region)[0];
      expect(from.RelationshipType).toBe('SELECTED FROM');
      expect(from.ValueType).toBe('IMAGE');
      expect(study.images.map((i) => i.sopInstanceUid)).toContain(
        from.ReferencedSOPSequence[0].ReferencedSOPInstanceUID,
      );
      expect(child(g, '111047').MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue).toBe('%');
    }
    expect(uids.size).toBe(8);
    expect(groups.map((g) => numValue(child(g, '111047')))).toContain(10);
  });

  test('tracking identifiers stay unique when a view repeats in the study (a retake)', () => {
    const { study, headers } = scenario('manyClusters');
    const ids = (h: typeof headers) =>
      childrenWith(child(buildTid1500Sr(study, h, options), '126010'), '125007').map(
        (g) => child(g, '112039').TextValue,
      );
    expect(ids(headers)).toContain('RCC calcification cluster 1');
    // Every image a left CC: four images of one view, two clusters each.
    const retakes = headers.map((h) => ({ ...h, ImageLaterality: 'L' }));
    const sameView = { ...study, images: study.images.map((i) => ({ ...i, view: 'CC' })) };
    const labels = childrenWith(child(buildTid1500Sr(sameView, retakes, options), '126010'), '125007').map(
      (g) => child(g, '112039').TextValue,
    );
    expect(new Set(labels).size).toBe(8);
    expect(labels).toContain('LCC image 4 calcification cluster 2');
  });

  test('tracking UIDs are stable for the same input', () => {
    const { study, headers } = scenario('oneCluster');
    const uid = (sr: any) => child(childrenWith(child(sr, '126010'), '125007')[0], '112040').UID;
    expect(uid(buildTid1500Sr(study, headers, options))).toBe(
      uid(buildTid1500Sr(study, headers, { ...options, now: new Date() })),
    );
  });

  test('no findings: empty Imaging Measurements, library still complete', () => {
    const { study, headers } = scenario('noFindings');
    const sr = buildTid1500Sr(study, headers, options);
    expect(children(child(sr, '126010'))).toHaveLength(0);
    expect(children(child(child(sr, '111028'), '126200'))).toHaveLength(4);
  });
});
