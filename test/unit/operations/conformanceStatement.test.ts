import * as fs from 'fs';
import * as path from 'path';
import { configSchema } from '../../../src/config/schema';
import { TRANSFER_SYNTAX_PREFERENCE, UNCOMPRESSED_TRANSFER_SYNTAXES } from '../../../src/dicom/transferSyntaxPolicy';
import { STORE_STATUS } from '../../../src/dicom/dimseStatus';
import { REJECT_REASON } from '../../../src/dicom/associationPolicy';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../src/dicom/implementationIdentity';
import { CAD_OBJECT_SOP_CLASSES } from '../../../src/export/storeScu';
import { manufacturer, manufacturerModelName } from '../../../src/report/documentHeader';
import { graphicLayers } from '../../../src/report/gsps';

const statement = fs.readFileSync(path.resolve(__dirname, '../../../docs/conformance-statement.md'), 'utf8');

/** The rows of the table that follows a caption line ("Table 4.2-4: ..."), as arrays of cells. */
function tableAfter(caption: string): string[][] {
  const start = statement.indexOf(caption);
  if (start < 0) throw new Error(`no "${caption}" in the conformance statement`);
  const lines = statement.slice(start).split('\n').slice(1);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith('|')) {
      inTable = true;
      rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
    } else if (inTable) break;
  }
  return rows.slice(2); // header and separator
}

describe('DICOM conformance statement matches the code', () => {
  const defaults = configSchema.parse({});

  it('has the PS3.2 sections in order', () => {
    const headings = [...statement.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      '1 Conformance Statement Overview',
      '2 Table of Contents',
      '3 Introduction',
      '4 Networking',
      '5 Media Interchange',
      '6 Support of Character Sets',
      '7 Security',
      '8 Annexes',
    ]);
  });

  it('lists the accepted transfer syntaxes in the receiver\'s preference order', () => {
    expect(tableAfter('Table 4.2-4:').map((r) => r[1])).toEqual([...TRANSFER_SYNTAX_PREFERENCE]);
    expect(statement).toContain('For Verification only Explicit and Implicit VR Little Endian are accepted');
    expect([...UNCOMPRESSED_TRANSFER_SYNTAXES]).toEqual(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2']);
  });

  it('lists the analysed and acknowledged SOP classes of the default configuration', () => {
    expect(tableAfter('Table 4.2-1:').map((r) => r[1])).toEqual(defaults.receiver.analysedSopClasses);
    expect(tableAfter('Table 4.2-3:').map((r) => r[1])).toEqual(defaults.receiver.acknowledgedSopClasses);
  });

  it('lists exactly the C-STORE statuses the receiver returns', () => {
    const documented = tableAfter('Table 4.2-5:').map((r) => parseInt(r[0], 16));
    expect(documented.sort()).toEqual(Object.values(STORE_STATUS).sort());
  });

  it('gives the association rejection reasons the policy uses', () => {
    expect(statement).toContain(`${REJECT_REASON.userCalledAeNotRecognised} called-AE-title-not-recognized`);
    expect(statement).toContain(`${REJECT_REASON.userCallingAeNotRecognised} calling-AE-title-not-recognized`);
    expect(statement).toContain(`${REJECT_REASON.presentationLocalLimitExceeded} local-limit-exceeded`);
    expect(statement).toContain(`${REJECT_REASON.presentationTemporaryCongestion} temporary-congestion`);
    expect(statement).toContain(`default ${defaults.receiver.maxAssociations})`);
    expect(statement).toContain(`default ${defaults.receiver.minFreeDiskMb} MB`);
  });

  it('names the SOP classes sent, the implementation identity and the equipment written', () => {
    for (const uid of CAD_OBJECT_SOP_CLASSES) expect(statement).toContain(`| ${uid} | SCU |`);
    expect(statement).toContain(IMPLEMENTATION_CLASS_UID);
    expect(statement).toContain(IMPLEMENTATION_VERSION_NAME);
    expect(statement).toContain(`Manufacturer \`${manufacturer}\``);
    expect(statement).toContain(`Manufacturer's Model Name \`${manufacturerModelName}\``);
    expect(statement).toContain(`\`${graphicLayers.suspicious.name}\` (order ${graphicLayers.suspicious.order}`);
    expect(statement).toContain(`\`${graphicLayers.other.name}\` (order ${graphicLayers.other.order}`);
  });

  it('never names the retired calcification codes as emitted', () => {
    expect(statement).not.toMatch(/\(11110[45],\s*DCM/);
    expect(statement).toContain('129769006');
    expect(statement).toContain('129770007');
  });
});
