import {
  AssociationPolicySettings,
  AssociationRequestFacts,
  decideAssociation,
} from '../../../src/dicom/associationPolicy';
import { CONTEXT_RESULT, decidePresentationContext } from '../../../src/dicom/presentationContextPolicy';

const policy: AssociationPolicySettings = {
  aeTitle: 'MAMMOCAD',
  allowedCallingAes: [],
  allowedSourceAddresses: [],
  maxAssociations: 2,
  minFreeDiskMb: 100,
};
const facts: AssociationRequestFacts = {
  calledAe: 'MAMMOCAD',
  callingAe: 'MODALITY',
  sourceAddress: '127.0.0.1',
  openAssociations: 0,
  freeDiskMb: 5000,
};

describe('association policy', () => {
  it('accepts our called AE from anyone when the allow lists are empty', () => {
    expect(decideAssociation(facts, policy)).toEqual({ accept: true });
  });

  it('ignores AE title space padding', () => {
    expect(decideAssociation({ ...facts, calledAe: 'MAMMOCAD        ' }, policy)).toEqual({ accept: true });
  });

  it('rejects another called AE permanently: service user, called AE not recognised', () => {
    expect(decideAssociation({ ...facts, calledAe: 'OTHER' }, policy)).toMatchObject({
      accept: false,
      result: 1,
      source: 1,
      reason: 7,
    });
  });

  it('rejects a calling AE missing from a non-empty allow list: calling AE not recognised', () => {
    const listed = { ...policy, allowedCallingAes: ['PACS', 'MODALITY'] };
    expect(decideAssociation(facts, listed)).toEqual({ accept: true });
    expect(decideAssociation({ ...facts, callingAe: 'INTRUDER' }, listed)).toMatchObject({
      accept: false,
      result: 1,
      source: 1,
      reason: 3,
    });
  });

  it('checks the source address allow list, IPv4-mapped IPv6 included', () => {
    const listed = { ...policy, allowedSourceAddresses: ['10.0.0.5'] };
    expect(decideAssociation({ ...facts, sourceAddress: '::ffff:10.0.0.5' }, listed)).toEqual({
      accept: true,
    });
    expect(decideAssociation({ ...facts, sourceAddress: '10.0.0.6' }, listed)).toMatchObject({
      accept: false,
      result: 1,
      source: 1,
      reason: 1,
    });
  });

  it('rejects transiently when the association limit is reached: local limit exceeded', () => {
    expect(decideAssociation({ ...facts, openAssociations: 1 }, policy)).toEqual({ accept: true });
    expect(decideAssociation({ ...facts, openAssociations: 2 }, policy)).toMatchObject({
      accept: false,
      result: 2,
      source: 3,
      reason: 2,
    });
  });

  it('rejects transiently when free disk is below the minimum: temporary congestion', () => {
    expect(decideAssociation({ ...facts, freeDiskMb: 99 }, policy)).toMatchObject({
      accept: false,
      result: 2,
      source: 3,
      reason: 1,
    });
  });

  it('checks identity before load: a wrong AE is refused permanently even when busy', () => {
    expect(
      decideAssociation({ ...facts, calledAe: 'X', openAssociations: 9, freeDiskMb: 0 }, policy),
    ).toMatchObject({
      result: 1,
      reason: 7,
    });
  });
});

describe('presentation context policy', () => {
  const sop = {
    analysedSopClasses: ['1.2.840.10008.5.1.4.1.1.1.2', '1.2.840.10008.5.1.4.1.1.1.2.1'],
    acknowledgedSopClasses: ['1.2.840.10008.5.1.4.1.1.88.67', '1.2.840.10008.5.1.4.1.1.7'],
  };

  it('accepts MG For Presentation and For Processing for analysis', () => {
    expect(decidePresentationContext('1.2.840.10008.5.1.4.1.1.1.2', ['1.2.840.10008.1.2'], sop)).toEqual({
      result: CONTEXT_RESULT.accept,
      transferSyntax: '1.2.840.10008.1.2',
      role: 'analysed',
    });
    expect(
      decidePresentationContext('1.2.840.10008.5.1.4.1.1.1.2.1', ['1.2.840.10008.1.2.1'], sop),
    ).toMatchObject({
      role: 'analysed',
    });
  });

  it('accepts dose SR and secondary capture only to acknowledge them', () => {
    expect(
      decidePresentationContext('1.2.840.10008.5.1.4.1.1.88.67', ['1.2.840.10008.1.2.1'], sop),
    ).toMatchObject({
      result: 0,
      role: 'acknowledged',
    });
  });

  it('always accepts Key Object Selection documents, to read them as possible rejection notes', () => {
    expect(decidePresentationContext('1.2.840.10008.5.1.4.1.1.88.59', ['1.2.840.10008.1.2.1'], sop)).toMatchObject({
      result: 0,
      role: 'keyObject',
    });
  });

  it('accepts verification with an uncompressed syntax only', () => {
    expect(decidePresentationContext('1.2.840.10008.1.1', ['1.2.840.10008.1.2'], sop)).toMatchObject({
      result: 0,
      role: 'verification',
    });
    expect(decidePresentationContext('1.2.840.10008.1.1', ['1.2.840.10008.1.2.4.90'], sop)).toMatchObject({
      result: 4,
    });
  });

  it('rejects other SOP classes: abstract syntax not supported', () => {
    expect(decidePresentationContext('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2'], sop)).toMatchObject({
      result: 3,
    });
  });

  it('rejects a known SOP class offered only in unsupported syntaxes: transfer syntaxes not supported', () => {
    expect(
      decidePresentationContext('1.2.840.10008.5.1.4.1.1.1.2', ['1.2.840.10008.1.2.2'], sop),
    ).toMatchObject({
      result: 4,
    });
  });
});
