import { expect } from '@jest/globals';
import type { Response, Test } from 'supertest';

/** A 400 VALIDATION_FAILED listing exactly these fields and reasons. */
export function expectInvalid(response: Response, details: { field: string; reason: string }[]): void {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  expect(response.body.details).toEqual(details);
}

/** The request with its body read whole as bytes (a PDF), whatever the content type. */
export function readingBytes(request: Test): Test {
  return request.buffer(true).parse((res, callback) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

/** A refusal as a test compares it: [status, code, the fields its details name]. */
export function refusalOf(response: Response): [number, unknown, string[] | undefined] {
  return [response.status, response.body.code, (response.body.details as { field: string }[] | undefined)?.map((d) => d.field)];
}
