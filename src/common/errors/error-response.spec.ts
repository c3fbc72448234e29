import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

import { DomainError } from './domain-error.js';
import { defineErrors } from './error-catalogue.js';
import { toErrorResponse } from './error-response.js';

const EXAMPLE_ERRORS = defineErrors({
  ABRUPT_DISCONTINUATION: { status: 422, description: 'Refused.' },
  STALE_VERSION: { status: 409, description: 'Changed meanwhile.' },
});

const dbError = (code: string) => new QueryFailedError('INSERT ...', [], Object.assign(new Error('duplicate key value (email)=(x@y.z)'), { code }));

describe('toErrorResponse', () => {
  it('keeps the status, code and message of domain errors', () => {
    const response = toErrorResponse(EXAMPLE_ERRORS.ABRUPT_DISCONTINUATION('Tapering to zero at once is refused.'), 'c1');
    expect(response).toEqual({
      status: 422,
      body: { statusCode: 422, code: 'ABRUPT_DISCONTINUATION', message: 'Tapering to zero at once is refused.', correlationId: 'c1' },
      headers: {},
      unexpected: false,
    });
    expect(toErrorResponse(EXAMPLE_ERRORS.STALE_VERSION(), 'c2').status).toBe(409);
    expect(toErrorResponse(new DomainError(429, 'TOO_MANY_ATTEMPTS', 'Wait.', undefined, { 'retry-after': '30' }), 'c3').headers).toEqual({ 'retry-after': '30' });
  });

  it('turns unique-constraint races into 409 without quoting the values', () => {
    const response = toErrorResponse(dbError('23505'), 'c4');
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('DUPLICATE');
    expect(JSON.stringify(response.body)).not.toContain('x@y.z');
  });

  it('turns serialization failures and deadlocks into a retryable 409', () => {
    expect(toErrorResponse(dbError('40001'), 'c').body.code).toBe('CONCURRENT_UPDATE');
    expect(toErrorResponse(dbError('40P01'), 'c').body.code).toBe('CONCURRENT_UPDATE');
  });

  it('answers a database that did not answer in time with 503 and Retry-After, as an outage', () => {
    const clientTimeout = new QueryFailedError('INSERT ...', [], new Error('Query read timeout'));
    for (const error of [dbError('57014'), dbError('55P03'), clientTimeout]) {
      const response = toErrorResponse(error, 'c');
      expect([response.status, response.body.code, response.headers, response.unexpected]).toEqual([503, 'SERVICE_UNAVAILABLE', { 'retry-after': '5' }, false]);
    }
  });

  it('maps Nest HTTP exceptions to the same body', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x'), 'c').body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Not found.', correlationId: 'c' });
  });

  it('hides everything about unexpected errors', () => {
    const response = toErrorResponse(dbError('42P01'), 'c5');
    expect(response).toMatchObject({ status: 500, unexpected: true });
    expect(response.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'An unexpected error occurred.', correlationId: 'c5' });
    expect(toErrorResponse('a string', 'c6').status).toBe(500);
    expect(toErrorResponse(Object.assign(new Error('boom'), { statusCode: 503 }), 'c7').status).toBe(500);
  });
});
