/**
 * Patient search, raw: the app's own statement (patientSearchStatement, shared like the handoff's
 * reader, so both servers send the same SQL), its own reading of the search text (searchTerms),
 * the query checks of SearchPatientsQuery by hand, one READ audit row per patient listed in one
 * statement, and the same JSON.
 */
import { searchAuditDetail, searchTerms, SEARCH_TEXT_MAX_LENGTH } from '../../src/common/search/search-terms.js';
import { formatHn } from '../../src/modules/patients/hospital-number.js';
import { patientSearchStatement, type PatientSearchKey, type PatientSearchRow } from '../../src/modules/patients/patient-search.js';
import { openListCursor, PATIENT_SEARCH, Refusal, sealCursor, type Answer, type Context, type Services } from './common.js';

const AUDIT_COLUMNS = 9;
const AUDIT_PREFIX = 'INSERT INTO audit_events (actor_id, action, resource, resource_id, patient_id, outcome, correlation_id, address, detail) VALUES';
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u;

function invalid(field: string, reason: string): Refusal {
  return new Refusal(400, 'VALIDATION_FAILED', 'The request is invalid.', [{ field, reason }]);
}

/** `?q=&limit=&cursor=` as the app's SearchPatientsQuery checks them. */
function searchQuery(query: URLSearchParams): { q: string; limit: number; after: PatientSearchKey | null } {
  for (const key of query.keys()) if (key !== 'q' && key !== 'limit' && key !== 'cursor') throw invalid(key, 'is not allowed');
  const q = (query.get('q') ?? '').trim();
  if (q.length < 1 || q.length > SEARCH_TEXT_MAX_LENGTH || !NO_CONTROL_CHARACTERS.test(q)) throw invalid('q', 'is not a search text');
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalid('limit', 'must be an integer from 1 to 200');
  const cursor = query.get('cursor');
  if (cursor === null) return { q, limit, after: null };
  let key: unknown;
  try {
    const own = openListCursor(cursor, PATIENT_SEARCH);
    key = own === null ? null : JSON.parse(Buffer.from(own, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (!Array.isArray(key) || key.length !== 3 || !key.every((part) => Number.isSafeInteger(part) && part >= 0)) throw invalid('cursor', 'is not a cursor returned by this list');
  return { q, limit, after: key as PatientSearchKey };
}

export async function searchPatients(services: Services, context: Context, _id: string | undefined, query: URLSearchParams): Promise<Answer> {
  const { q, limit, after } = searchQuery(query);
  const terms = searchTerms(q);
  const { sql, values } = patientSearchStatement(terms, { after, limit });
  const { rows } = await services.pool.query<PatientSearchRow>(sql, values);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? sealCursor(Buffer.from(JSON.stringify([last.tier, last.nameLength, Number(last.hn)]), 'utf8').toString('base64url'), PATIENT_SEARCH) : null;
  // One READ per distinct patient listed (one without a patient if none is), in one statement.
  const detail = JSON.stringify({ count: page.length, ...searchAuditDetail(terms) });
  const entries: (string | null)[] = page.length > 0 ? [...new Set(page.map((p) => p.id))] : [null];
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const patientId of entries) {
    const base = params.length;
    tuples.push(`(${Array.from({ length: AUDIT_COLUMNS }, (_, c) => `$${base + c + 1}`).join(', ')})`);
    params.push(context.user.id, 'READ', 'patient', null, patientId, 'SUCCESS', context.correlationId, context.address, detail);
  }
  await services.pool.query(`${AUDIT_PREFIX} ${tuples.join(', ')}`, params);
  const items = page.map((p) => ({ id: p.id, hn: formatHn(p.hn), givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: p.sex, phone: p.phone, email: p.email }));
  return { status: 200, body: { items, nextCursor } };
}
