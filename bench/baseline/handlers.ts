/**
 * The baseline's handlers for the simple scenarios: the statements the app's services send (see
 * the SQL the harness prints with BENCH_SHOW_SQL=1), its input checks, its response mapping.
 */
import { cowsAlerts, COWS_ITEM_NAMES, type CowsItems } from '../../src/clinical/cows.js';
import { describeClassification } from '../../src/clinical/dsm5.js';
import { calendarDate } from '../../src/common/clock.js';
import { assessedOnOf } from '../../src/modules/intake/assessed-on.js';
import { checkObservation } from '../../src/modules/observations/observation-rules.js';
import { formatHn } from '../../src/modules/patients/hospital-number.js';
import type { RecordObservationRequest } from '../../src/modules/observations/dto/observation.requests.js';
import { ENQUIRY_LIST, INSTANT, invalid, objectBody, openListCursor, recordAudit, recordListRead, Refusal, sealCursor, type Answer, type Context, type Services } from './common.js';

const SELECT_ASSESSMENT = `SELECT a.id, a.enquiry_id AS "enquiryId", a.patient_id AS "patientId", p.hn, a.version, a.input, a.factor_table AS "factorTable",
  a.total_daily_mme AS "totalDailyMme", a.mme_lines AS "mmeLines", a.dsm5_result AS "dsm5Result", a.classification,
  a.hyperalgesia_suspected AS "hyperalgesiaSuspected", a.long_acting AS "longActing", a.warnings, a.correction_reason AS "correctionReason", a.assessed_by AS "assessedBy", a.created_at AS "createdAt"
  FROM assessments a JOIN patients p ON p.id = a.patient_id WHERE a.id = $1 LIMIT 1`;

export async function getAssessment(services: Services, context: Context, id: string | undefined): Promise<Answer> {
  const { rows } = await services.pool.query(SELECT_ASSESSMENT, [id]);
  const a = rows[0];
  if (!a) throw new Refusal(404, 'NOT_FOUND', 'Assessment not found.');
  await recordAudit(services.pool, context, { action: 'READ', resource: 'assessment', resourceId: id, patientId: a.patientId });
  const { criteriaMet, criteriaCounted, excluded, severity } = a.dsm5Result;
  return {
    status: 200,
    body: {
      id: a.id,
      enquiryId: a.enquiryId,
      patientId: a.patientId,
      hn: formatHn(a.hn),
      version: a.version,
      assessedOn: assessedOnOf(a, services.config.clinicTimeZone),
      totalDailyMme: Number(a.totalDailyMme),
      factorTable: a.factorTable,
      mme: a.mmeLines,
      dsm5: { criteriaMet, criteriaCounted, excluded, severity },
      classification: a.classification,
      classificationText: describeClassification(a.dsm5Result),
      hyperalgesiaSuspected: a.hyperalgesiaSuspected,
      longActing: a.longActing,
      warnings: a.warnings,
      input: a.input,
      correctionReason: a.correctionReason,
      assessedBy: a.assessedBy,
      createdAt: (a.createdAt as Date).toISOString(),
    },
  };
}

const ENQUIRY_COLUMNS = `id, position, status, contact_name AS "contactName", contact_phone AS "contactPhone", contact_email AS "contactEmail",
  relationship, source, summary, patient_id AS "patientId", status_reason AS "statusReason", created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const ENQUIRY_STATUSES = ['NEW', 'ASSESSED', 'TRIAGED', 'ADMITTED', 'REFERRED', 'DECLINED', 'CLOSED'];

interface EnquiryRow {
  id: string;
  position: string;
  status: string;
  contactName: string;
  contactPhone: string | null;
  contactEmail: string | null;
  relationship: string;
  source: string | null;
  summary: string | null;
  patientId: string | null;
  statusReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

function enquiryResponse(e: EnquiryRow): object {
  return {
    id: e.id,
    status: e.status,
    contactName: e.contactName,
    contactPhone: e.contactPhone,
    contactEmail: e.contactEmail,
    relationship: e.relationship,
    source: e.source,
    summary: e.summary,
    patientId: e.patientId,
    statusReason: e.statusReason,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** `?limit=&cursor=&status=` as the app's ListEnquiriesQuery checks them. */
function listQuery(query: URLSearchParams): { limit: number; position: number | null; status: string | null } {
  for (const key of query.keys()) if (key !== 'limit' && key !== 'cursor' && key !== 'status') throw invalid(key, 'is not allowed');
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalid('limit', 'must be an integer from 1 to 200');
  const status = query.get('status');
  if (status !== null && !ENQUIRY_STATUSES.includes(status)) throw invalid('status', 'must be an enquiry status');
  const cursor = query.get('cursor');
  if (cursor === null) return { limit, position: null, status };
  let key: unknown = null;
  const own = cursor.length <= 500 ? openListCursor(cursor, ENQUIRY_LIST) : null;
  if (own !== null) {
    try {
      key = JSON.parse(Buffer.from(own, 'base64url').toString('utf8'));
    } catch {
      key = null;
    }
  }
  if (!Array.isArray(key) || key.length !== 1 || !Number.isSafeInteger(key[0]) || key[0] < 0) throw invalid('cursor', 'is not a cursor returned by this list');
  return { limit, position: key[0] as number, status };
}

export async function listEnquiries(services: Services, context: Context, _id: string | undefined, query: URLSearchParams): Promise<Answer> {
  const { limit, position, status } = listQuery(query);
  const params: unknown[] = [];
  const where: string[] = [];
  if (status !== null) where.push(`status = $${params.push(status)}`);
  if (position !== null) where.push(`position < $${params.push(position)}`);
  const sql = `SELECT ${ENQUIRY_COLUMNS} FROM enquiries${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY position DESC LIMIT ${limit + 1}`;
  const { rows } = await services.pool.query<EnquiryRow>(sql, params);
  const page = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? sealCursor(Buffer.from(JSON.stringify([Number(last.position)]), 'utf8').toString('base64url'), ENQUIRY_LIST) : null;
  await recordListRead(services.pool, context, 'enquiry', page.map((e) => e.patientId), { count: page.length });
  return { status: 200, body: { items: page.map(enquiryResponse), nextCursor } };
}

const RELATIONSHIPS = ['SELF', 'FAMILY', 'PROFESSIONAL'];
const PHONE = /^\+?[0-9 ()./-]{3,50}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ENQUIRY_FIELDS = new Set(['contactName', 'contactPhone', 'contactEmail', 'relationship', 'source', 'summary']);

function optionalText(body: Record<string, unknown>, field: string, max: number, pattern?: RegExp): string | null {
  const value = body[field];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const trimmed = value.trim();
  if (trimmed.length > max || (pattern && !pattern.test(trimmed))) throw invalid(field, 'is not valid');
  return trimmed;
}

const INSERT_ENQUIRY = `INSERT INTO enquiries (status, contact_name, contact_phone, contact_email, relationship, source, summary, patient_id, status_reason, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, position, status, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function createEnquiry(services: Services, context: Context, _id: string | undefined, _query: URLSearchParams, raw: unknown): Promise<Answer> {
  const body = objectBody(raw);
  for (const key of Object.keys(body)) if (!ENQUIRY_FIELDS.has(key)) throw invalid(key, 'is not allowed');
  const contactName = optionalText(body, 'contactName', 200);
  if (!contactName) throw invalid('contactName', 'must be 1 to 200 characters');
  if (!RELATIONSHIPS.includes(body.relationship as string)) throw invalid('relationship', 'must be SELF, FAMILY or PROFESSIONAL');
  const contactPhone = optionalText(body, 'contactPhone', 50, PHONE);
  const contactEmail = optionalText(body, 'contactEmail', 254, EMAIL)?.toLowerCase() ?? null;
  const source = optionalText(body, 'source', 200);
  const summary = optionalText(body, 'summary', 4000);
  const relationship = body.relationship as string;
  const client = await services.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(INSERT_ENQUIRY, ['NEW', contactName, contactPhone, contactEmail, relationship, source, summary, null, null, context.user.id]);
    const inserted = rows[0];
    await recordAudit(client, context, { action: 'CREATE', resource: 'enquiry', resourceId: inserted.id });
    await client.query('COMMIT');
    return {
      status: 201,
      body: enquiryResponse({ ...inserted, contactName, contactPhone, contactEmail, relationship, source, summary, patientId: null, statusReason: null, createdBy: context.user.id }),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const OBSERVATION_FIELDS = new Set(['type', 'recordedAt', 'items', 'score']);
const SELECT_ADMISSION = `SELECT id, position, patient_id AS "patientId", enquiry_id AS "enquiryId", triage_decision_id AS "triageDecisionId", pathway,
  admitted_on AS "admittedOn", via_partner_hospital AS "viaPartnerHospital", status, discharged_on AS "dischargedOn", created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt" FROM admissions WHERE id = $1 LIMIT 1`;
// As AdmissionsRepository.share: a record of the stay is written under a share lock on the admission.
const SHARE_ADMISSION = `${SELECT_ADMISSION} FOR SHARE`;
const ACTIVE_TAPER = `SELECT EXISTS (SELECT 1 FROM taper_orders WHERE admission_id = $1 AND status = 'ACTIVE') AS "exists"`;
const INSERT_OBSERVATION = `INSERT INTO observations (admission_id, patient_id, type, recorded_at, score, items, band, alerts, recorded_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, position, created_at AS "createdAt"`;

/** The shape checks of the app's RecordObservationRequest; the rest is the app's own checkObservation. */
function observationRequest(raw: unknown): RecordObservationRequest {
  const body = objectBody(raw);
  for (const key of Object.keys(body)) if (!OBSERVATION_FIELDS.has(key)) throw invalid(key, 'is not allowed');
  if (body.type !== 'COWS' && body.type !== 'PAIN') throw invalid('type', 'must be COWS or PAIN');
  if (typeof body.recordedAt !== 'string' || !INSTANT.test(body.recordedAt) || Number.isNaN(Date.parse(body.recordedAt))) {
    throw invalid('recordedAt', 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z');
  }
  if (body.items !== undefined && (body.items === null || typeof body.items !== 'object' || Array.isArray(body.items))) throw invalid('items', 'must be an object of COWS item scores');
  if (body.score !== undefined && (!Number.isInteger(body.score) || (body.score as number) < 0 || (body.score as number) > 10)) throw invalid('score', 'must be an integer from 0 to 10');
  return body as unknown as RecordObservationRequest;
}

/** The clinical checks of the app's observation service, their refusals as the API's 4xx. */
function checkedObservation(raw: unknown): ReturnType<typeof checkObservation> {
  try {
    return checkObservation(observationRequest(raw), new Date());
  } catch (error) {
    const e = error as { status?: number; code?: string; message: string; details?: { field: string; reason: string }[] };
    if (typeof e.status === 'number' && e.code) throw new Refusal(e.status, e.code, e.message, e.details);
    throw error;
  }
}

function observationBody(
  checked: ReturnType<typeof checkObservation>,
  alerts: ReturnType<typeof cowsAlerts>,
  inserted: { id: string; createdAt: unknown },
  admissionId: string | undefined,
  patientId: string,
  recordedBy: string,
): Record<string, unknown> {
  return {
    id: inserted.id,
    admissionId,
    patientId,
    type: checked.type,
    recordedAt: checked.recordedAt.toISOString(),
    score: checked.score,
    band: checked.band,
    items: checked.items ? (Object.fromEntries(COWS_ITEM_NAMES.map((item) => [item, (checked.items as CowsItems)[item]])) as CowsItems) : null,
    alerts: alerts.map((alert) => ({ code: alert.code, message: alert.message })),
    recordedBy,
    createdAt: (inserted.createdAt as Date).toISOString(),
  };
}

export async function recordObservation(services: Services, context: Context, admissionId: string | undefined, _query: URLSearchParams, raw: unknown): Promise<Answer> {
  const checked = checkedObservation(raw);
  const client = await services.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(SHARE_ADMISSION, [admissionId]);
    const admission = rows[0];
    if (!admission) throw new Refusal(404, 'NOT_FOUND', 'Admission not found.');
    // As the app: the clinic's day of the observation lies within the stay.
    const day = calendarDate(checked.recordedAt, services.config.clinicTimeZone);
    if (day < admission.admittedOn || (admission.dischargedOn && day > admission.dischargedOn)) throw new Refusal(422, 'DATE_OUTSIDE_STAY', 'The date lies outside the stay.');
    const activeTaper = checked.band !== null && (await client.query(ACTIVE_TAPER, [admissionId])).rows[0].exists === true;
    const alerts = checked.band !== null ? cowsAlerts(checked.band, activeTaper ? 'IN_FORCE' : 'NONE') : [];
    const inserted = (
      await client.query(INSERT_OBSERVATION, [admissionId, admission.patientId, checked.type, checked.recordedAt, checked.score, checked.items ? JSON.stringify(checked.items) : null, checked.band, JSON.stringify(alerts), context.user.id])
    ).rows[0];
    await recordAudit(client, context, {
      action: 'CREATE',
      resource: 'observation',
      resourceId: inserted.id,
      patientId: admission.patientId,
      detail: { admissionId, type: checked.type, alerts: alerts.map((alert) => alert.code) },
    });
    await client.query('COMMIT');
    return { status: 201, body: observationBody(checked, alerts, inserted, admissionId, admission.patientId, context.user.id) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
