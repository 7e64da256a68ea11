import { buildMammoCadSr } from '../../../src/report/mammoCadSr';
import { buildTid1500Sr } from '../../../src/report/tid1500Sr';
import { reportScenario, reportScenarios, testReportOptions } from '../../helpers/reportScenarios';
import {
  allItems,
  child,
  childrenWith,
  codeMeaning,
  codeValue,
  concept,
  children,
  numValue,
  scoordsWithImages,
} from '../../helpers/srTree';

const options = testReportOptions;
const scenario = reportScenario;

describe('Mammography CAD SR (TID 4000)', () => {
  test('one cluster: an impression with intent, finding, scores, geometry, type, distribution and specks', () => {
    const { study, headers } = scenario('oneCluster');
    const sr = buildMammoCadSr(study, headers, options);
    expect(sr.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.88.50');
    expect(sr.ContentTemplateSequence).toEqual([{ MappingResource: 'DCMR', TemplateIdentifier: '4000' }]);
    expect(children(sr).map(concept)).toEqual(['121049', '111028', '111017', '111064', '111065']);

    const summary = child(sr, '111017');
    expect(codeMeaning(summary)).toBe('All algorithms succeeded; with findings');
    const impressions = childrenWith(summary, '111034');
    expect(impressions).toHaveLength(1);
    expect(impressions[0].RelationshipType).toBe('INFERRED FROM');
    expect(codeValue(child(impressions[0], '111056'))).toBe('111150');

    const finding = child(impressions[0], '111059');
    expect(codeValue(finding)).toBe('129769006');
    const intent = child(finding, '111056');
    expect(codeMeaning(intent)).toBe('Presentation Required: Rendering device is expected to present');
    expect(children(intent)).toHaveLength(0);
    expect(child(finding, '111001').TextValue).toBe('mammocad-calc');
    expect(child(finding, '111003').TextValue).toBe('1.0.0');
    expect(numValue(child(finding, '111012'))).toBe(92);
    expect(numValue(child(finding, '111047'))).toBe(87);
    expect(child(finding, '111047').MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue).toBe(
      '%',
    );
    const center = child(finding, '111010');
    expect([center.GraphicType, center.GraphicData]).toEqual(['POINT', [60, 70]]);
    const outline = child(finding, '111041');
    expect(outline.GraphicType).toBe('POLYLINE');
    const g = outline.GraphicData as number[];
    expect(g.slice(0, 2)).toEqual(g.slice(-2));
    expect(childrenWith(finding, '111009').map(codeValue)).toEqual(['111344', '129760005']);
    expect(codeValue(child(finding, '111008'))).toBe('129766004');
    expect(numValue(child(finding, '111038'))).toBe(4);

    const specks = childrenWith(finding, '111059');
    expect(specks).toHaveLength(4);
    for (const speck of specks) {
      expect(speck.RelationshipType).toBe('INFERRED FROM');
      expect(codeValue(speck)).toBe('129770007');
      expect(codeValue(child(speck, '111056'))).toBe('111151');
      expect(child(speck, '111010').GraphicType).toBe('POINT');
    }
    // The cluster's own centre lands on the image the findings belong to.
    const image = study.images.find((i) => i.clusters.length > 0)!;
    const refs = scoordsWithImages(sr);
    expect(refs.every((r) => r.sopInstanceUid === image.sopInstanceUid)).toBe(true);
    expect(refs).toHaveLength(2 + 4);
  });

  test('the image library lists every image with laterality, view and pixel spacing', () => {
    const { study, headers } = scenario('oneCluster');
    const library = child(buildMammoCadSr(study, headers, options), '111028');
    const images = children(library);
    expect(images.map((i) => i.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)).toEqual(
      study.images.map((i) => i.sopInstanceUid),
    );
    const first = images[0];
    expect(codeMeaning(child(first, '111027'))).toBe('Right breast');
    expect(codeMeaning(child(first, '111031'))).toBe('cranio-caudal');
    expect(numValue(child(first, '111026'))).toBe(0.1);
    expect(child(first, '111044').TextValue).toBe('P');
  });

  test('below the operating point: Presentation Optional with a CAD operating point', () => {
    const { study, headers } = scenario('manyClusters');
    const sr = buildMammoCadSr(study, headers, options);
    const findings = childrenWith(child(sr, '111017'), '111034').map((c) => child(c, '111059'));
    expect(findings).toHaveLength(8);
    for (const f of findings) {
      const malignancy = numValue(child(f, '111047'));
      const intent = child(f, '111056');
      if (malignancy >= 30) {
        expect(codeValue(intent)).toBe('111150');
      } else {
        expect(codeValue(intent)).toBe('111151');
        const op = child(intent, '111071');
        expect(op.RelationshipType).toBe('HAS PROPERTIES');
        expect(numValue(op)).toBe(100 - Math.floor(malignancy));
      }
    }
    // The scale of those operating points is declared with the detection that produced them.
    const detection = childrenWith(child(child(sr, '111064'), '111063'), '111022')[0];
    expect(numValue(child(detection, '111072'))).toBe(100);
    expect(numValue(child(detection, '111092'))).toBe(70);
  });

  test('states probabilities rounded down, so the figure, the intent and the operating point agree', () => {
    const { study, headers } = scenario('oneCluster');
    const cluster = study.images.flatMap((i) => i.clusters)[0];
    const edited = {
      ...study,
      images: study.images.map((image) =>
        image.clusters.length === 0
          ? image
          : { ...image, clusters: [{ ...cluster, malignancy: 0.2996 }, { ...cluster, index: 2, malignancy: 0.99996 }] },
      ),
    };
    const sr = buildMammoCadSr(edited, headers, options);
    const findings = childrenWith(child(sr, '111017'), '111034').map((c) => child(c, '111059'));
    const byValue = new Map(findings.map((f) => [numValue(child(f, '111047')), f]));
    expect([...byValue.keys()].sort()).toEqual([29.9, 99.9]);
    const below = child(byValue.get(29.9)!, '111056');
    expect(codeValue(below)).toBe('111151'); // Presentation Optional under the 30 % operating point
    expect(numValue(child(below, '111071'))).toBe(71);
    expect(codeValue(child(byValue.get(99.9)!, '111056'))).toBe('111150');
    const tid1500 = buildTid1500Sr(edited, headers, options);
    const groups = childrenWith(child(tid1500, '126010'), '125007');
    expect(groups.map((g) => numValue(child(g, '111047'))).sort()).toEqual([29.9, 99.9]);
  });

  test('no findings: a complete report saying all algorithms succeeded without findings', () => {
    const { study, headers } = scenario('noFindings');
    const sr = buildMammoCadSr(study, headers, options);
    expect(codeMeaning(child(sr, '111017'))).toBe('All algorithms succeeded; without findings');
    expect(children(child(sr, '111017'))).toHaveLength(0);
    expect(codeMeaning(child(sr, '111064'))).toBe('Succeeded');
    expect(children(child(sr, '111028'))).toHaveLength(4);
    expect(codeMeaning(child(sr, '111065'))).toBe('Not Attempted');
  });

  test('an image not analysable is listed under Failed Detections', () => {
    const { study, headers } = scenario('oneImageFailed');
    const sr = buildMammoCadSr(study, headers, options);
    expect(codeMeaning(child(sr, '111017'))).toBe('Not all algorithms succeeded; with findings');
    const detections = child(sr, '111064');
    expect(codeMeaning(detections)).toBe('Partially Succeeded');
    const failed = child(detections, '111025');
    const performed = childrenWith(failed, '111022');
    expect(performed.map(codeValue)).toEqual(['129769006', '129770007']);
    const refs = children(performed[0]).filter((c) => c.ReferencedContentItemIdentifier);
    expect(refs).toHaveLength(1);
    // The by-reference target is the failed image's library entry: root 1, library 2, fourth image.
    expect(refs[0].ReferencedContentItemIdentifier).toEqual([1, 2, 4]);
    expect(
      childrenWith(child(detections, '111063'), '111022')[0].ContentSequence.filter(
        (c: any) => c.ReferencedContentItemIdentifier,
      ),
    ).toHaveLength(3);
  });

  test('implant views left out: in the library with their view modifier, in no detection, and the summaries speak of the other views', () => {
    const { study, headers } = scenario('implantViewsLeftOut');
    const sr = buildMammoCadSr(study, headers, options);
    const library = children(child(sr, '111028'));
    expect(library).toHaveLength(4);
    // The displaced views' (111031) Image View carries (111032) Image View Modifier = Implant Displaced.
    const modifiers = library.map((entry: any) => childrenWith(child(entry, '111031'), '111032').map(codeValue));
    expect(modifiers).toEqual([[], ['399209000'], [], ['399209000']]);
    expect(codeMeaning(child(sr, '111017'))).toBe('All algorithms succeeded; with findings');
    const detections = child(sr, '111064');
    expect(codeMeaning(detections)).toBe('Succeeded');
    expect(childrenWith(detections, '111025')).toHaveLength(0);
    // Successful detections point at the two displaced views only: library entries 2 and 4.
    const refs = children(childrenWith(child(detections, '111063'), '111022')[0])
      .filter((c: any) => c.ReferencedContentItemIdentifier)
      .map((c: any) => c.ReferencedContentItemIdentifier);
    expect(refs).toEqual([
      [1, 2, 2],
      [1, 2, 4],
    ]);
    expect(childrenWith(child(sr, '111017'), '111034')).toHaveLength(1);
  });

  test('a study of implant views only: "Not Attempted", and no algorithm succeeded', () => {
    const { study, headers } = scenario('onlyImplantViews');
    const sr = buildMammoCadSr(study, headers, options);
    expect(children(child(sr, '111028'))).toHaveLength(2);
    expect(codeMeaning(child(sr, '111017'))).toBe('No algorithms succeeded; without findings');
    const detections = child(sr, '111064');
    expect(codeMeaning(detections)).toBe('Not Attempted');
    expect(children(detections)).toHaveLength(0);
  });

  test('specks follow the builder option, and can be left out', () => {
    const { study, headers } = scenario('oneCluster');
    const find = (sr: any) => child(childrenWith(child(sr, '111017'), '111034')[0], '111059');
    const required = find(
      buildMammoCadSr(study, headers, { ...options, individualCalcifications: 'required' }),
    );
    expect(codeValue(child(childrenWith(required, '111059')[0], '111056'))).toBe('111150');
    const omitted = find(buildMammoCadSr(study, headers, { ...options, individualCalcifications: 'omit' }));
    expect(childrenWith(omitted, '111059')).toHaveLength(0);
  });

  test('header hygiene: patient and study copied, own series, equipment, evidence, flags', () => {
    const { study, headers } = scenario('oneCluster');
    const sr = buildMammoCadSr(study, headers, options);
    expect(sr.StudyInstanceUID).toBe(study.studyUid);
    expect(sr.PatientName).toEqual(headers[0].PatientName);
    expect([sr.PatientID, sr.AccessionNumber, sr.StudyID, sr.StudyDate]).toEqual([
      'MC-0001',
      'ACC-42',
      '42',
      '20260110',
    ]);
    expect(sr.Modality).toBe('SR');
    expect(sr.SeriesInstanceUID).not.toBe(headers[0].SeriesInstanceUID);
    expect(sr.SeriesNumber).toBe(9001);
    expect(sr.SeriesDescription).toMatch(/CAD SR/);
    expect(sr.Manufacturer).toBe('mammocad');
    expect(sr.SoftwareVersions).toContain('mammocad-calc 1.0.0');
    expect([sr.CompletionFlag, sr.VerificationFlag]).toEqual(['COMPLETE', 'UNVERIFIED']);
    expect([sr.ContentDate, sr.ContentTime]).toEqual(['20260110', '100000']);
    const evidence = sr.CurrentRequestedProcedureEvidenceSequence[0];
    expect(evidence.StudyInstanceUID).toBe(study.studyUid);
    const listed = evidence.ReferencedSeriesSequence.flatMap((s: any) =>
      s.ReferencedSOPSequence.map((r: any) => r.ReferencedSOPInstanceUID),
    );
    expect(listed.sort()).toEqual(study.images.map((i) => i.sopInstanceUid).sort());
  });

  test('every SCOORD of every scenario lies inside its image', () => {
    for (const { study, headers } of reportScenarios()) {
      const sr = buildMammoCadSr(study, headers, options);
      for (const { scoord, sopInstanceUid } of scoordsWithImages(sr)) {
        const image = study.images.find((i) => i.sopInstanceUid === sopInstanceUid)!;
        const g = scoord.GraphicData as number[];
        for (let i = 0; i < g.length; i += 2) {
          expect(g[i]).toBeGreaterThanOrEqual(0);
          expect(g[i]).toBeLessThanOrEqual(image.columns);
          expect(g[i + 1]).toBeGreaterThanOrEqual(0);
          expect(g[i + 1]).toBeLessThanOrEqual(image.rows);
        }
      }
      expect(allItems(sr).length).toBeGreaterThan(5);
    }
  });
});
