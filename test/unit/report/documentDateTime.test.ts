import { dicomDate, dicomTime, timezoneOffset } from '../../../src/report/documentHeader';

describe('report dates and times', () => {
  it('are local time, as the study date beside them is, with the offset from UTC', () => {
    const lateEvening = new Date('2026-01-11T02:30:15Z'); // 21:30 the evening before, in New York
    const at = (offsetMinutes: number) => [
      dicomDate(lateEvening, offsetMinutes),
      dicomTime(lateEvening, offsetMinutes),
      timezoneOffset(lateEvening, offsetMinutes),
    ];
    expect(at(-300)).toEqual(['20260110', '213015', '-0500']);
    expect(at(330)).toEqual(['20260111', '080015', '+0530']);
    expect(at(0)).toEqual(['20260111', '023015', '+0000']);
  });

  it("default to this process's time zone", () => {
    const d = new Date('2026-07-01T12:00:00Z');
    expect(timezoneOffset(d)).toBe(timezoneOffset(d, -d.getTimezoneOffset()));
    expect(dicomTime(d)).toBe(dicomTime(d, -d.getTimezoneOffset()));
  });
});
