import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { openCursor, sealCursor } from './list-scope.js';

const ADMISSION_A = '0b7f0c62-3f6e-4a52-9a57-1f1d6c1d2a01';
const ADMISSION_B = '0b7f0c62-3f6e-4a52-9a57-1f1d6c1d2a02';
const CHARGES_OF_A = { list: 'BillingController.listCharges', params: { id: ADMISSION_A } };

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? [error.status, error.code, error.details] : error;
  }
  return 'accepted';
}

describe('list cursors', () => {
  const key = encodeCursor(['2027-01-10', ADMISSION_B]);

  it('open back to the list’s own cursor, whatever the case of the parent id', () => {
    expect(openCursor(sealCursor(key, CHARGES_OF_A), CHARGES_OF_A)).toBe(key);
    expect(openCursor(sealCursor(key, CHARGES_OF_A), { ...CHARGES_OF_A, params: { id: ADMISSION_A.toUpperCase() } })).toBe(key);
  });

  it('refuse a cursor of another list, of the same list under another parent, or of none (400 on cursor)', () => {
    const sealed = sealCursor(key, CHARGES_OF_A);
    const notOurs = [400, 'VALIDATION_FAILED', [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]];
    expect(refusal(() => openCursor(sealed, { ...CHARGES_OF_A, list: 'ClinicalChargesController.listConsults' }))).toEqual(notOurs);
    expect(refusal(() => openCursor(sealed, { ...CHARGES_OF_A, params: { id: ADMISSION_B } }))).toEqual(notOurs);
    expect(refusal(() => openCursor(sealed, { ...CHARGES_OF_A, params: {} }))).toEqual(notOurs);
    expect(refusal(() => openCursor(key, CHARGES_OF_A))).toEqual(notOurs);
    expect(refusal(() => openCursor('', CHARGES_OF_A))).toEqual(notOurs);
    expect(refusal(() => openCursor(`x${sealed}`, CHARGES_OF_A))).toEqual(notOurs);
  });

  it('keep checking the key’s shape once opened (a forged key under the right seal is still a 400)', () => {
    const notOurs = [400, 'VALIDATION_FAILED', [{ field: 'cursor', reason: 'is not a cursor returned by this list' }]];
    for (const forged of [encodeCursor([12]), encodeCursor([-1, ADMISSION_A]), encodeCursor(['2027-01-10', 'x']), 'not-base64-json']) {
      const opened = openCursor(sealCursor(forged, CHARGES_OF_A), CHARGES_OF_A);
      expect(refusal(() => decodeCursor(opened, ['string', 'uuid']))).toEqual(notOurs);
    }
    expect(decodeCursor(openCursor(sealCursor(key, CHARGES_OF_A), CHARGES_OF_A), ['string', 'uuid'])).toEqual(['2027-01-10', ADMISSION_B]);
  });
});
