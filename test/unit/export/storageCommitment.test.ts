import { commitmentRefusal, commitmentRequest, describeFailureReason, readCommitmentReport, STORAGE_COMMITMENT_INSTANCE, STORAGE_COMMITMENT_PUSH_MODEL } from '../../../src/export/storageCommitment';

const SR = '1.2.840.10008.5.1.4.1.1.88.50';

describe('storage commitment messages (PS3.4 Annex J)', () => {
  it('the request: N-ACTION type 1 on the well-known instance, with the Transaction UID and each object', () => {
    const request = commitmentRequest('2.25.7', [{ sopClassUid: SR, sopInstanceUid: '2.25.8' }]);
    expect(request.getRequestedSopClassUid()).toBe(STORAGE_COMMITMENT_PUSH_MODEL);
    expect(request.getRequestedSopInstanceUid()).toBe(STORAGE_COMMITMENT_INSTANCE);
    expect(request.getActionTypeId()).toBe(1);
    expect(request.getDataset()!.getElements()).toMatchObject({
      TransactionUID: '2.25.7',
      ReferencedSOPSequence: [{ ReferencedSOPClassUID: SR, ReferencedSOPInstanceUID: '2.25.8' }],
    });
  });

  it('a result: committed and failed objects with their reasons, UID padding removed', () => {
    const report = readCommitmentReport(2, {
      TransactionUID: '2.25.7\0',
      ReferencedSOPSequence: [{ ReferencedSOPClassUID: SR, ReferencedSOPInstanceUID: '2.25.8' }],
      FailedSOPSequence: [{ ReferencedSOPClassUID: SR, ReferencedSOPInstanceUID: '2.25.9', FailureReason: 0x0112 }],
    });
    expect(report).toEqual({
      transactionUid: '2.25.7',
      committed: [{ sopClassUid: SR, sopInstanceUid: '2.25.8' }],
      failed: [{ sopClassUid: SR, sopInstanceUid: '2.25.9', reason: 0x0112 }],
    });
    expect(describeFailureReason(0x0112)).toBe('0x0112 no such object instance');
    expect(describeFailureReason(0xc001)).toBe('0xc001 unknown reason');
  });

  it('refuses what is not a commitment result', () => {
    expect(() => readCommitmentReport(3, { TransactionUID: '2.25.7' })).toThrow('event type 3 is not a storage commitment result (1 or 2)');
    expect(() => readCommitmentReport(1, {})).toThrow('no valid Transaction UID');
    expect(() => readCommitmentReport(1, undefined)).toThrow('no valid Transaction UID');
  });

  it("the request's answer: Success and Warnings are taken, anything else is a refusal with its reason", () => {
    expect(commitmentRefusal(0x0000, '')).toBeUndefined();
    expect(commitmentRefusal(0x0001, '')).toBeUndefined();
    expect(commitmentRefusal(0xb000, '')).toBeUndefined();
    expect(commitmentRefusal(0x0213, 'queue full')).toBe('refused storage commitment: 0x0213 Resource Limitation (queue full)');
    expect(commitmentRefusal(0x0110, '')).toBe('refused storage commitment: 0x0110 Processing Failure');
    // A damaged N-ACTION-RSP whose Status was lost.
    expect(commitmentRefusal(NaN, '')).toBe('refused storage commitment: no Status (0000,0900) in the response');
  });
});
