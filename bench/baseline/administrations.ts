/**
 * The baseline's medication administration record: recording one dose (the app's
 * AdministrationsService.give and AdministeredOrders, statement for statement, with the app's pure
 * clinical rules) and the nurses' list of a day (the app's own reader, plain SQL).
 */
import type pg from 'pg';
import { ADMINISTRATION_OUTCOMES, checkAchievableDose, checkAsNeededDose, checkDrugDayTotal, checkPainPlanDose, checkPatchDose, checkTaperDose, checkUnit, checkWitness, DEFAULT_PRN_COWS_WINDOW_HOURS, orderInForceAt, patchWearHours, type AdministrationOutcome } from '../../src/clinical/administration.js';
import { asNeededDailyMaximum } from '../../src/clinical/as-needed.js';
import type { ClinicalWarning } from '../../src/clinical/clinical-error.js';
import { drugDailyLimit, RISK_FACTOR_WORDS } from '../../src/clinical/pain-plan.js';
import { checkRollingDay, paracetamolInTaperDoses, type CombinationProduct } from '../../src/clinical/rolling-day.js';
import { medicationBalance, stockWarnings } from '../../src/clinical/supply.js';
import { scheduledDoseOn } from '../../src/clinical/taper-day.js';
import { calendarDate } from '../../src/common/clock.js';
import { applyClinicalRules, CLINICAL_ERRORS } from '../../src/common/errors/clinical-rules.js';
import { COMMON_ERRORS, NotFound } from '../../src/common/errors/common.errors.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { requestHash } from '../../src/common/http/idempotency.js';
import { isDecimal } from '../../src/common/validation/decimal.js';
import { pastInstantProblems } from '../../src/common/validation/past-instant.js';
import { isSafeText } from '../../src/common/validation/safe-text.js';
import { assertWithinStay } from '../../src/modules/admissions/stay.js';
import type { AdministeredOrder } from '../../src/modules/administrations/administered-order.js';
import type { AdministrationEntity } from '../../src/modules/administrations/administration.entity.js';
import { readDosesDue } from '../../src/modules/administrations/doses-due-reader.js';
import type { RecordAdministrationRequest } from '../../src/modules/administrations/dto/administration.requests.js';
import { INSTANT, invalid, objectBody, recordAudit, recordListRead, Refusal, type Answer, type Context, type Services } from './common.js';

const RESOURCE = 'administration';
const HOUR_MS = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const ORDER_KINDS = ['TAPER', 'PAIN_PLAN', 'AS_NEEDED'];
const UNITS = ['mg', 'mcg/h', 'patch'];
const FIELDS = new Set(['orderKind', 'orderId', 'dose', 'unit', 'givenAt', 'outcome', 'reason', 'witnessId', 'idempotencyKey']);
// Only doses GIVEN and not voided count toward a limit or a balance.
const COUNTS = `outcome = 'GIVEN' AND voided_at IS NULL`;

const LOCK_ADMISSION = `SELECT id, patient_id AS "patientId", admitted_on AS "admittedOn", discharged_on AS "dischargedOn", status FROM admissions WHERE id = $1 LIMIT 1 FOR UPDATE`;
const ENTRY_COLUMNS = `id, admission_id AS "admissionId", patient_id AS "patientId", order_kind AS "orderKind", order_id AS "orderId", version_id AS "versionId",
  drug, formulation, dose, unit, given_at AS "givenAt", given_on AS "givenOn", outcome, reason, given_by AS "givenBy", witness_id AS "witnessId", warnings,
  request_hash AS "requestHash", created_at AS "createdAt", voided_at AS "voidedAt", voided_by AS "voidedBy", void_reason AS "voidReason"`;
const FIND_BY_KEY = `SELECT ${ENTRY_COLUMNS} FROM administrations WHERE admission_id = $1 AND idempotency_key = $2 LIMIT 1`;
// What the app reads of the version in force (TaperOrdersRepository.activeVersionOf), steps and pauses in one row.
const ACTIVE_VERSION = `SELECT o.id, o.order_id AS "orderId", o.version, o.unit, o.drug, o.formulation, o.replaces_drug, o.replaces_formulation, o.pauses,
  o.unit_strengths AS "unitStrengths", o.allow_half_tablets AS "allowHalfTablets",
  (SELECT json_agg(json_build_object('step', s.step, 'startsOn', s.starts_on, 'dailyDose', s.daily_dose, 'dailyMme', s.daily_mme,
                                     'reductionPercent', s.reduction_percent, 'percentOfStart', s.percent_of_start) ORDER BY s.step)
     FROM taper_steps s WHERE s.version_id = o.id) AS steps
  FROM taper_orders o WHERE o.admission_id = $1 AND o.status = 'ACTIVE' AND (o.order_id = $2 OR o.id = $2)`;
const IS_ORDER_OF = `SELECT EXISTS (SELECT 1 FROM taper_orders WHERE admission_id = $1 AND (order_id = $2 OR id = $2)) AS "exists"`;
const PAIN_MEDICATION = `SELECT id, drug, dose, unit, daily_dose AS "dailyDose", created_at AS "createdAt", discontinued_at AS "discontinuedAt" FROM pain_medications WHERE id = $1 AND admission_id = $2 LIMIT 1`;
const AS_NEEDED_ORDER = `SELECT id, drug, dose, unit, min_interval_hours AS "minIntervalHours", max_doses_per_day AS "maxDosesPerDay", cows_threshold AS "cowsThreshold",
  created_at AS "createdAt", discontinued_at AS "discontinuedAt" FROM as_needed_orders WHERE id = $1 AND admission_id = $2 LIMIT 1`;
const DOSES_GIVEN_ON = `SELECT dose FROM administrations WHERE order_id = $1 AND given_on = $2 AND ${COUNTS}`;
const GIVEN_NEAR = `SELECT given_at, dose FROM administrations WHERE order_id = $1 AND ${COUNTS}
  AND given_at > $2::timestamptz - make_interval(secs => $3) AND given_at < $2::timestamptz + make_interval(secs => $3) ORDER BY given_at`;
const DRUG_DOSES_GIVEN_ON = `SELECT dose FROM administrations WHERE admission_id = $1 AND order_kind = ANY($2::text[]) AND drug = $3 AND given_on = $4 AND ${COUNTS}`;
const DRUG_GIVEN_NEAR = `SELECT given_at FROM administrations WHERE admission_id = $1 AND order_kind = $2 AND drug = $3 AND ${COUNTS}
  AND given_at > $4::timestamptz - make_interval(secs => $5) AND given_at < $4::timestamptz + make_interval(secs => $5) ORDER BY given_at`;
const DRUG_MEDICATIONS = `SELECT daily_dose AS "dailyDose", created_at AS "createdAt", discontinued_at AS "discontinuedAt" FROM pain_medications WHERE admission_id = $1 AND drug = $2`;
const DRUG_AS_NEEDED = `SELECT dose, max_doses_per_day AS "maxDosesPerDay", created_at AS "createdAt", discontinued_at AS "discontinuedAt" FROM as_needed_orders WHERE admission_id = $1 AND drug = $2`;
const COWS_BETWEEN = `SELECT recorded_at AS "recordedAt", score FROM observations WHERE admission_id = $1 AND type = 'COWS' AND recorded_at BETWEEN $2 AND $3`;
const WITNESS = `SELECT roles, active FROM users WHERE id = $1 LIMIT 1`;
// The stay's latest intake, for the paracetamol a combination opioid's taper dose carries.
const INTAKE = `SELECT s.input->'opioids' AS opioids, s.input->'medical' AS medical FROM assessments s JOIN admissions a ON a.enquiry_id = s.enquiry_id
  WHERE a.id = $1 ORDER BY s.version DESC LIMIT 1`;
const DOSES_BETWEEN = `SELECT given_at AS "givenAt", order_kind AS "orderKind", drug, formulation, dose FROM administrations
  WHERE admission_id = $1 AND ${COUNTS} AND given_at > $2 AND given_at < $3 AND (CASE WHEN order_kind = 'TAPER' THEN $4 ELSE drug = $5 END) ORDER BY given_at`;
const DISPENSED = `SELECT drug, formulation, strength, unit, SUM(quantity) AS quantity FROM dispensations WHERE admission_id = $1 AND drug = $2 AND voided_at IS NULL GROUP BY drug, formulation, strength, unit`;
const GIVEN_STOCK = `SELECT drug, formulation, unit, SUM(dose) AS dose FROM administrations WHERE admission_id = $1 AND drug = $2 AND ${COUNTS} GROUP BY drug, formulation, unit`;
const INSERT_ENTRY = `INSERT INTO administrations (admission_id, patient_id, order_kind, order_id, version_id, drug, formulation, dose, unit, given_at, given_on,
  outcome, reason, given_by, witness_id, warnings, idempotency_key, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
  RETURNING id, created_at AS "createdAt"`;

type EntryRequest = RecordAdministrationRequest;
type Order = AdministeredOrder;
/** An entry as the app's mapper reads it. */
type Entry = Omit<AdministrationEntity, 'position' | 'idempotencyKey' | 'requestHash'>;

/** The shape checks of the app's RecordAdministrationRequest. */
function entryRequest(raw: unknown): EntryRequest {
  const body = objectBody(raw);
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) throw invalid(key, 'is not allowed');
  if (!ORDER_KINDS.includes(body.orderKind as string)) throw invalid('orderKind', 'must be TAPER, PAIN_PLAN or AS_NEEDED');
  if (typeof body.orderId !== 'string' || !UUID.test(body.orderId)) throw invalid('orderId', 'must be a UUID');
  if (!isDecimal(body.dose, 3) || body.dose < 0.001 || body.dose > 100_000) throw invalid('dose', 'must be a number from 0.001 to 100000 with at most 3 decimals');
  if (!UNITS.includes(body.unit as string)) throw invalid('unit', 'must be mg, mcg/h or patch');
  if (typeof body.givenAt !== 'string' || !INSTANT.test(body.givenAt) || Number.isNaN(Date.parse(body.givenAt))) throw invalid('givenAt', 'must be an instant with a time zone, e.g. 2027-01-04T08:00:00Z');
  if (!ADMINISTRATION_OUTCOMES.includes(body.outcome as AdministrationOutcome)) throw invalid('outcome', 'must be GIVEN, HELD, REFUSED or OMITTED');
  if (body.outcome !== 'GIVEN' || body.reason !== undefined) {
    const reason = typeof body.reason === 'string' ? body.reason.trim() : body.reason;
    if (typeof reason !== 'string' || reason.length < 1 || reason.length > 2000 || !isSafeText(reason, true)) throw invalid('reason', 'is required: 1 to 2000 characters');
    body.reason = reason;
  }
  if (body.witnessId !== undefined && (typeof body.witnessId !== 'string' || !UUID.test(body.witnessId))) throw invalid('witnessId', 'must be a UUID');
  if (typeof body.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(body.idempotencyKey)) throw invalid('idempotencyKey', 'must be 1–200 printable characters without spaces');
  return body as unknown as EntryRequest;
}

/** The app's refusals (domain errors, clinical rules) as the baseline's. */
function refusal(error: unknown): unknown {
  return error instanceof DomainError ? new Refusal(error.status, error.code, error.message, error.details) : error;
}

function notInForce(message: string): Error {
  return CLINICAL_ERRORS.ORDER_NOT_IN_FORCE(message, [{ field: 'orderId', reason: message }]);
}

function discontinued(at: Date | null): string {
  return at ? `, discontinued ${at.toISOString()}` : '';
}

async function dosesGivenOn(client: pg.PoolClient, orderId: string, givenOn: string): Promise<number[]> {
  return (await client.query<{ dose: string }>(DOSES_GIVEN_ON, [orderId, givenOn])).rows.map((row) => Number(row.dose));
}

async function drugDosesGivenOn(client: pg.PoolClient, admissionId: string, kinds: string[], drug: string, givenOn: string): Promise<number[]> {
  return (await client.query<{ dose: string }>(DRUG_DOSES_GIVEN_ON, [admissionId, kinds, drug, givenOn])).rows.map((row) => Number(row.dose));
}

/** As AdministeredOrders.drugDay: the drug's orders in force and what all its orders gave that day, for a dose given. */
async function drugDay(client: pg.PoolClient, admissionId: string, drug: string, outcome: string, givenAt: Date, givenOn: string): Promise<{ allowed: number[]; given: number[] }> {
  if (outcome !== 'GIVEN') return { allowed: [], given: [] };
  const medications = (await client.query(DRUG_MEDICATIONS, [admissionId, drug])).rows;
  const asNeeded = (await client.query(DRUG_AS_NEEDED, [admissionId, drug])).rows;
  const allowed = [
    ...medications.filter((m) => orderInForceAt(m, givenAt)).map((m) => Number(m.dailyDose)),
    ...asNeeded.filter((o) => orderInForceAt(o, givenAt)).map((o) => asNeededDailyMaximum({ dose: Number(o.dose), maxDosesPerDay: o.maxDosesPerDay })),
  ];
  return { allowed, given: await drugDosesGivenOn(client, admissionId, ['PAIN_PLAN', 'AS_NEEDED'], drug, givenOn) };
}

/** As AdministeredOrders.paracetamolInDose: the intake is read; a combination product's dose is held to the paracetamol limit over any 24 hours. */
async function paracetamolCarried(client: pg.PoolClient, admissionId: string, request: EntryRequest, product: { drug: string; formulation: string }, givenAt: Date) {
  const intake = (await client.query<{ opioids: CombinationProduct[]; medical: Record<string, unknown> }>(INTAKE, [admissionId])).rows[0]!;
  const [carried] = paracetamolInTaperDoses([{ givenAt, drug: product.drug, formulation: product.formulation, dose: request.dose }], intake.opioids);
  if (!carried) return null;
  const day = 24 * HOUR_MS;
  const doses = (await client.query(DOSES_BETWEEN, [admissionId, new Date(givenAt.getTime() - day), new Date(givenAt.getTime() + 2 * day), true, 'paracetamol'])).rows.map((d) => ({ ...d, dose: Number(d.dose) }));
  const taken = [...doses.filter((d) => d.orderKind !== 'TAPER').map((d) => ({ givenAt: d.givenAt, amount: d.dose })), ...paracetamolInTaperDoses(doses.filter((d) => d.orderKind === 'TAPER'), intake.opioids)];
  const applied = drugDailyLimit('paracetamol', intake.medical)!;
  return { amount: carried.amount, limit: { drug: 'paracetamol', unit: 'mg', maxDaily: applied.maxDaily, because: applied.because.map((f) => RISK_FACTOR_WORDS[f]) }, taken };
}

async function taperDose(client: pg.PoolClient, admissionId: string, request: EntryRequest, givenAt: Date, givenOn: string): Promise<Order> {
  const row = (await client.query(ACTIVE_VERSION, [admissionId, request.orderId])).rows[0];
  if (!row) {
    if (!(await client.query(IS_ORDER_OF, [admissionId, request.orderId])).rows[0].exists) throw new NotFound('Taper order');
    throw notInForce('The taper order is a draft or a superseded version; record against the signed order in force.');
  }
  const version = { ...row, steps: (row.steps as { dailyDose: string | number }[]).map((s) => ({ ...s, dailyDose: Number(s.dailyDose) })) };
  const entry = { ...request, date: givenOn };
  const wearHours = patchWearHours(version);
  const worn = wearHours
    ? (await client.query<{ given_at: Date; dose: string }>(GIVEN_NEAR, [version.orderId, givenAt, (wearHours * HOUR_MS) / 1000])).rows.map((r) => ({ givenAt: r.given_at, dose: Number(r.dose) }))
    : null;
  const given = worn ? [] : await dosesGivenOn(client, version.orderId, givenOn);
  const paracetamol = request.outcome === 'GIVEN' ? await paracetamolCarried(client, admissionId, request, version, givenAt) : null;
  applyClinicalRules(() => {
    checkUnit(request.unit, version);
    checkAchievableDose(request, version);
    const scheduled = scheduledDoseOn(version, givenOn)?.dailyDose ?? null;
    if (worn) checkPatchDose(entry, scheduled, worn, wearHours!);
    else checkTaperDose(entry, scheduled, given);
    if (paracetamol) checkRollingDay({ outcome: request.outcome, dose: paracetamol.amount, givenAt }, paracetamol.limit, paracetamol.taken);
  });
  return { orderKind: 'TAPER', orderId: version.orderId, versionId: version.id, drug: version.drug, formulation: version.formulation, unit: version.unit, opioid: true };
}

async function painPlanDose(client: pg.PoolClient, admissionId: string, request: EntryRequest, givenAt: Date, givenOn: string): Promise<Order> {
  const row = (await client.query(PAIN_MEDICATION, [request.orderId, admissionId])).rows[0];
  if (!row) throw new NotFound('Pain-plan medication');
  const medication = { ...row, dose: Number(row.dose), dailyDose: Number(row.dailyDose) };
  if (!orderInForceAt(medication, givenAt)) throw notInForce(`The ${medication.drug} order was not in force at ${givenAt.toISOString()} (ordered ${medication.createdAt.toISOString()}${discontinued(medication.discontinuedAt)}).`);
  const given = await drugDosesGivenOn(client, admissionId, ['PAIN_PLAN'], medication.drug, givenOn);
  const day = await drugDay(client, admissionId, medication.drug, request.outcome, givenAt, givenOn);
  applyClinicalRules(() => {
    checkUnit(request.unit, medication);
    checkPainPlanDose({ ...request, date: givenOn }, medication, given);
    checkDrugDayTotal({ ...request, date: givenOn, drug: medication.drug }, day.allowed, day.given);
  });
  return { orderKind: 'PAIN_PLAN', orderId: medication.id, versionId: null, drug: medication.drug, formulation: null, unit: medication.unit, opioid: false };
}

async function asNeededDose(client: pg.PoolClient, admissionId: string, request: EntryRequest, givenAt: Date, givenOn: string): Promise<Order> {
  const row = (await client.query(AS_NEEDED_ORDER, [request.orderId, admissionId])).rows[0];
  if (!row) throw new NotFound('As-needed order');
  const order = { ...row, dose: Number(row.dose), minIntervalHours: Number(row.minIntervalHours) };
  if (!orderInForceAt(order, givenAt)) throw notInForce(`The as-needed ${order.drug} order was not in force at ${givenAt.toISOString()} (ordered ${order.createdAt.toISOString()}${discontinued(order.discontinuedAt)}).`);
  const near = await client.query<{ given_at: Date }>(DRUG_GIVEN_NEAR, [admissionId, 'AS_NEEDED', order.drug, givenAt, (order.minIntervalHours * HOUR_MS) / 1000]);
  const history = {
    givenAt: near.rows.map((r) => r.given_at),
    givenThatDay: (await drugDosesGivenOn(client, admissionId, ['AS_NEEDED'], order.drug, givenOn)).length,
    cowsScores: order.cowsThreshold === null ? [] : (await client.query(COWS_BETWEEN, [admissionId, new Date(givenAt.getTime() - DEFAULT_PRN_COWS_WINDOW_HOURS * HOUR_MS), givenAt])).rows,
  };
  const day = await drugDay(client, admissionId, order.drug, request.outcome, givenAt, givenOn);
  applyClinicalRules(() => {
    checkUnit(request.unit, order);
    checkAsNeededDose({ ...request, givenAt }, order, history);
    checkDrugDayTotal({ ...request, date: givenOn, drug: order.drug }, day.allowed, day.given);
  });
  return { orderKind: 'AS_NEEDED', orderId: order.id, versionId: null, drug: order.drug, formulation: null, unit: order.unit, opioid: false };
}

/** The order checks, then the witness (named whatever the drug) of the app's AdministeredOrders.check. */
async function checkedOrder(client: pg.PoolClient, admissionId: string, request: EntryRequest, givenAt: Date, givenOn: string, giver: string): Promise<Order> {
  const order =
    request.orderKind === 'TAPER' ? await taperDose(client, admissionId, request, givenAt, givenOn)
    : request.orderKind === 'PAIN_PLAN' ? await painPlanDose(client, admissionId, request, givenAt, givenOn)
    : await asNeededDose(client, admissionId, request, givenAt, givenOn);
  const witness = request.witnessId ? (await client.query<{ roles: string[]; active: boolean }>(WITNESS, [request.witnessId])).rows[0] : undefined;
  const witnessIsNurse = witness !== undefined && witness.active && witness.roles.includes('nurse');
  applyClinicalRules(() => checkWitness({ outcome: request.outcome, opioid: order.opioid, givenBy: giver, witnessId: request.witnessId ?? null, witnessIsNurse }));
  return order;
}

/** After this dose, more of its product (drug + formulation) given than dispensed for the admission: a warning to reconcile. */
async function stockCheck(client: pg.PoolClient, admissionId: string, order: Order, dose: number): Promise<ClinicalWarning[]> {
  const dispensed = (await client.query(DISPENSED, [admissionId, order.drug])).rows.map((r) => ({ drug: r.drug, formulation: r.formulation, strength: Number(r.strength), unit: r.unit, quantity: Number(r.quantity) }));
  const given = (await client.query(GIVEN_STOCK, [admissionId, order.drug])).rows.map((r) => ({ drug: r.drug, formulation: r.formulation, unit: r.unit, dose: Number(r.dose) }));
  const line = medicationBalance(dispensed, [...given, { drug: order.drug, formulation: order.formulation, unit: order.unit, dose }]).find((l) => l.formulation === order.formulation && l.unit === order.unit);
  return stockWarnings(line, order, order.unit);
}

function entryBody(e: Entry): Record<string, unknown> {
  return {
    id: e.id, admissionId: e.admissionId, patientId: e.patientId, orderKind: e.orderKind, orderId: e.orderId, versionId: e.versionId, drug: e.drug, formulation: e.formulation,
    dose: e.dose, unit: e.unit, givenAt: e.givenAt.toISOString(), givenOn: e.givenOn, outcome: e.outcome, reason: e.reason, givenBy: e.givenBy, witnessId: e.witnessId,
    warnings: e.warnings, createdAt: e.createdAt.toISOString(), voided: e.voidedAt !== null, voidedAt: e.voidedAt?.toISOString() ?? null, voidedBy: e.voidedBy, voidReason: e.voidReason,
  };
}

/** A retry: the first entry (200), or 409 when the key came with another request. */
async function replay(client: pg.PoolClient, context: Context, found: Entry & { requestHash: string }, hash: string): Promise<Answer> {
  if (found.requestHash !== hash) throw COMMON_ERRORS.IDEMPOTENCY_KEY_REUSED('This idempotency key was already used for a different administration.');
  await recordAudit(client, context, { action: 'READ', resource: RESOURCE, resourceId: found.id, patientId: found.patientId, detail: { idempotentReplay: true } });
  return { status: 200, body: entryBody({ ...found, dose: Number(found.dose) }) };
}

async function give(client: pg.PoolClient, services: Services, context: Context, admissionId: string, request: EntryRequest, givenAt: Date): Promise<Answer> {
  const hash = requestHash({ ...request, givenAt: givenAt.toISOString() });
  const admission = (await client.query(LOCK_ADMISSION, [admissionId])).rows[0];
  if (!admission) throw new NotFound('Admission');
  const found = (await client.query(FIND_BY_KEY, [admissionId, request.idempotencyKey])).rows[0];
  if (found) return replay(client, context, found, hash);
  const givenOn = calendarDate(givenAt, services.config.clinicTimeZone);
  assertWithinStay(admission, givenOn, 'givenAt');
  const order = await checkedOrder(client, admissionId, request, givenAt, givenOn, context.user.id);
  const warnings = request.outcome === 'GIVEN' ? await stockCheck(client, admissionId, order, request.dose) : [];
  const reason = request.reason ?? null;
  const witnessId = request.witnessId ?? null;
  const values = [admissionId, admission.patientId, order.orderKind, order.orderId, order.versionId, order.drug, order.formulation, request.dose, order.unit, givenAt, givenOn,
    request.outcome, reason, context.user.id, witnessId, JSON.stringify(warnings), request.idempotencyKey, hash];
  const inserted = (await client.query(INSERT_ENTRY, values)).rows[0];
  const { opioid: _opioid, ...recorded } = order;
  const entry: Entry = { ...recorded, ...inserted, admissionId, patientId: admission.patientId, dose: request.dose, givenAt, givenOn, outcome: request.outcome, reason, givenBy: context.user.id, witnessId, warnings, voidedAt: null, voidedBy: null, voidReason: null };
  const detail = { orderKind: entry.orderKind, outcome: entry.outcome, givenOn, warnings: warnings.map((w) => w.code) };
  await recordAudit(client, context, { action: 'CREATE', resource: RESOURCE, resourceId: entry.id, patientId: entry.patientId, detail });
  return { status: 201, body: entryBody(entry) };
}

export async function recordAdministration(services: Services, context: Context, admissionId: string | undefined, _query: URLSearchParams, raw: unknown): Promise<Answer> {
  const request = entryRequest(raw);
  const givenAt = new Date(request.givenAt);
  const problems = pastInstantProblems(givenAt, new Date(), 'givenAt');
  if (problems.length > 0) throw new Refusal(400, 'VALIDATION_FAILED', 'The request is invalid.', problems);
  const client = await services.pool.connect();
  try {
    await client.query('BEGIN');
    const answer = await give(client, services, context, String(admissionId), request, givenAt);
    await client.query('COMMIT');
    return answer;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw refusal(error);
  } finally {
    client.release();
  }
}

export async function nursesList(services: Services, context: Context, _id: string | undefined, query: URLSearchParams): Promise<Answer> {
  for (const key of query.keys()) if (key !== 'date') throw invalid(key, 'is not allowed');
  const date = query.get('date');
  const day = date !== null && CALENDAR_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (date === null || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) throw invalid('date', 'must be a calendar date (YYYY-MM-DD)');
  const items = await readDosesDue(async (sql, parameters) => (await services.pool.query(sql, parameters)).rows, date, services.config.clinicTimeZone, new Date());
  await recordListRead(services.pool, context, 'taper_doses', items.map((item) => item.patientId), { date });
  return { status: 200, body: { date, items } };
}
