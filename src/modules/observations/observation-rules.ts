import { COWS_ITEM_NAMES, invalidCowsItems, scoreCows, type CowsBand, type CowsItems } from '../../clinical/cows.js';
import { type ErrorDetail } from '../../common/errors/domain-error.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { pastInstantProblems } from '../../common/validation/past-instant.js';
import type { ObservationType } from './observation.entity.js';
import type { RecordObservationRequest } from './dto/observation.requests.js';

/** An observation request that passed every check, scored. */
export interface CheckedObservation {
  type: ObservationType;
  recordedAt: Date;
  score: number;
  band: CowsBand | null;
  items: CowsItems | null;
}

/**
 * What the request DTO cannot say on its own: which fields each type needs or refuses, each COWS
 * item against its allowed scores, and a recordedAt neither in the future nor before 1970.
 * Every problem is listed.
 */
export function checkObservation(request: RecordObservationRequest, now: Date): CheckedObservation {
  const recordedAt = new Date(request.recordedAt);
  const problems = [...pastInstantProblems(recordedAt, now, 'recordedAt'), ...(request.type === 'COWS' ? cowsProblems(request) : painProblems(request))];
  if (problems.length > 0) throw new ValidationFailed(problems);
  if (request.type === 'PAIN') return { type: 'PAIN', recordedAt, score: request.score!, band: null, items: null };
  const items = Object.fromEntries(COWS_ITEM_NAMES.map((item) => [item, request.items![item]])) as CowsItems;
  const { total, band } = scoreCows(items);
  return { type: 'COWS', recordedAt, score: total, band, items };
}

function cowsProblems(request: RecordObservationRequest): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (request.score !== undefined) problems.push({ field: 'score', reason: 'must not be given for a COWS observation; the score is the total of the items' });
  if (request.items === undefined) return [...problems, { field: 'items', reason: 'is required for a COWS observation' }];
  return [...problems, ...invalidCowsItems(request.items).map((p) => ({ field: `items.${p.item}`, reason: p.reason }))];
}

function painProblems(request: RecordObservationRequest): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (request.score === undefined) problems.push({ field: 'score', reason: 'is required for a PAIN observation' });
  if (request.items !== undefined) problems.push({ field: 'items', reason: 'must not be given for a PAIN observation' });
  return problems;
}
