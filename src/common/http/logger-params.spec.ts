import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp, type Options } from 'pino-http';
import type { AppConfig } from '../../config/app-config.js';
import { loggerParams } from './logger-params.js';

/** One request through pino-http with the service's options: the line it writes. */
function logLineFor(status: number): Record<string, unknown> {
  const lines: string[] = [];
  const params = loggerParams({ logLevel: 'info' } as AppConfig, { write: (line: string) => void lines.push(line) });
  const [options, destination] = params.pinoHttp as [Options, { write(line: string): void }];
  const log = pinoHttp(options, destination);
  const request = Object.assign(new EventEmitter(), { method: 'GET', url: '/api/v1/patients?q=somchai', headers: { authorization: 'Bearer secret' }, socket: {} });
  const response = Object.assign(new EventEmitter(), { statusCode: status, getHeaders: () => ({}), setHeader: () => undefined, headersSent: true, writableEnded: true });
  log(request as unknown as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  response.emit('finish');
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('request logs', () => {
  it('a 5xx line carries the status and no stack trace; never the query string or headers', () => {
    const line = logLineFor(503);
    expect(line).toMatchObject({ req: { method: 'GET', path: '/api/v1/patients' }, res: { statusCode: 503 }, err: { type: 'Error' } });
    expect(JSON.stringify(line)).not.toMatch(/stack|somchai|secret|failed with status/);
  });
});
