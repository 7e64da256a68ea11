import { configSchema } from '../../../src/config/schema';
import { parseDestinations } from '../../../src/config/destinations';
import { destinationsForStudy } from '../../../src/export/destinations';
import { describeStoreStatus, storeOutcomeOf } from '../../../src/export/storeStatus';

describe('export destinations', () => {
  const base = configSchema.parse({}).export;

  it('takes MAMMOCAD_DESTINATIONS entries with all three objects by default', () => {
    const exp = { ...base, destinations: parseDestinations('PACS@10.0.0.5:104,WS1@ws1.local:11112') };
    expect(destinationsForStudy(exp)).toEqual([
      { kind: 'dimse', aeTitle: 'PACS', host: '10.0.0.5', port: 104, objects: ['mammoCadSr', 'tid1500Sr', 'gsps'], tls: false, storageCommitment: false, label: 'PACS@10.0.0.5:104' },
      { kind: 'dimse', aeTitle: 'WS1', host: 'ws1.local', port: 11112, objects: ['mammoCadSr', 'tid1500Sr', 'gsps'], tls: false, storageCommitment: false, label: 'WS1@ws1.local:11112' },
    ]);
  });

  it('takes an http(s) URL as a DICOMweb (STOW-RS) destination, and refuses one carrying credentials', () => {
    const exp = { ...base, destinations: parseDestinations('PACS@10.0.0.5:104, https://dicom.example.org/v1/dicomWeb') };
    expect(destinationsForStudy(exp)[1]).toEqual({
      kind: 'stow',
      url: 'https://dicom.example.org/v1/dicomWeb',
      authorizationEnv: undefined,
      objects: ['mammoCadSr', 'tid1500Sr', 'gsps'],
      label: 'https://dicom.example.org/v1/dicomWeb',
    });
    expect(() => parseDestinations('https://user:secret@dicom.example.org/dicom-web')).toThrow(
      'MAMMOCAD_DESTINATIONS: "https://user:secret@dicom.example.org/dicom-web": a URL without credentials (use authorizationEnv)',
    );
    expect(() => parseDestinations('ftp://dicom.example.org')).toThrow(/expected AET@host:port or an http\(s\) URL/);
    const fromFile = configSchema.parse({
      export: { destinations: [{ url: 'https://vna.local/dicom-web', objects: ['tid1500Sr'], authorizationEnv: 'VNA_TOKEN' }] },
    }).export;
    expect(destinationsForStudy(fromFile)[0]).toMatchObject({ kind: 'stow', authorizationEnv: 'VNA_TOKEN', objects: ['tid1500Sr'] });
  });

  it('keeps a per-destination object choice, TLS and storage commitment from the config file', () => {
    const exp = configSchema.parse({
      export: { destinations: [{ aeTitle: 'SECURVIEW', host: 'sv', port: 104, objects: ['mammoCadSr'], tls: true, storageCommitment: true }] },
    }).export;
    expect(destinationsForStudy(exp)).toEqual([
      { kind: 'dimse', aeTitle: 'SECURVIEW', host: 'sv', port: 104, objects: ['mammoCadSr'], tls: true, storageCommitment: true, label: 'SECURVIEW@sv:104' },
    ]);
  });

  it('replies to a known sender, skips an unknown one, and merges a duplicate', () => {
    const exp = configSchema.parse({
      export: {
        replyToSender: true,
        knownAes: { ORTHANC: { host: '127.0.0.1', port: 4242 } },
        destinations: [{ aeTitle: 'ORTHANC', host: '127.0.0.1', port: 4242, objects: ['gsps'] }],
      },
    }).export;
    expect(destinationsForStudy(exp, 'ORTHANC').map((d) => [d.label, d.objects])).toEqual([
      ['ORTHANC@127.0.0.1:4242', ['mammoCadSr', 'tid1500Sr', 'gsps']],
    ]);
    expect(destinationsForStudy(exp, 'STRANGER').map((d) => [d.label, d.objects])).toEqual([
      ['ORTHANC@127.0.0.1:4242', ['gsps']],
    ]);
    expect(destinationsForStudy({ ...exp, replyToSender: false }, 'ORTHANC')).toHaveLength(1);
  });
});

describe('C-STORE status meaning', () => {
  it('counts success and the three warnings as delivered, everything else failed', () => {
    expect(storeOutcomeOf(0x0000)).toBe('delivered');
    expect([0xb000, 0xb007, 0xb006].map(storeOutcomeOf)).toEqual(['warning', 'warning', 'warning']);
    // Every 0001 and Bxxx status is a warning (PS3.7 Annex C): the archive keeps the object.
    expect([0x0001, 0xb100, 0xb001].map(storeOutcomeOf)).toEqual(['warning', 'warning', 'warning']);
    expect(describeStoreStatus(0xb100)).toBe('0xB100 Warning: object stored');
    expect([0xa700, 0xa900, 0xc000, 0x0122, 0x0110, 0x0111].map(storeOutcomeOf)).toEqual(Array(6).fill('failed'));
    expect(describeStoreStatus(0xa702)).toBe('0xA702 Refused: Out of Resources');
    expect(describeStoreStatus(0xb007)).toBe('0xB007 Warning: Data Set does not match SOP Class');
    expect(describeStoreStatus(0x0122)).toBe('0x0122 Refused: SOP Class not Supported');
    // A response whose Status was lost (a damaged PDU) is a failure, said as such.
    expect(storeOutcomeOf(Number(undefined))).toBe('failed');
    expect(describeStoreStatus(Number(undefined))).toBe('no Status (0000,0900) in the response');
  });
});
