import { expect } from '@jest/globals';
import type { Response } from 'supertest';

/** A 400 VALIDATION_FAILED listing exactly these fields and reasons. */
export function expectInvalid(response: Response, details: { field: string; reason: string }[]): void {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  expect(response.body.details).toEqual(details);
}
