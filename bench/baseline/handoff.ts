/**
 * The handoff summary, raw: the app's own SQL (readHandoffRecords, with the administration
 * record's query) on a pooled `pg` client in one REPEATABLE READ snapshot, then the app's own
 * pure `buildHandoffSummary`, then the EXPORT audit row. Only the framework around them differs.
 */
import { DomainError } from '../../src/common/errors/domain-error.js';
import type { ReadQuery } from '../../src/common/database/read-snapshot.js';
import { AdministrationHistoryRepository } from '../../src/modules/administrations/index.js';
import { buildHandoffSummary } from '../../src/modules/handoff/handoff-builder.js';
import { readHandoffRecords, type HandoffRecords } from '../../src/modules/handoff/handoff-reader.js';
import { recordAudit, Refusal, type Answer, type Context, type Services } from './common.js';

const administrationRecord = new AdministrationHistoryRepository();

export async function produceHandoff(services: Services, context: Context, admissionId: string | undefined, query: URLSearchParams): Promise<Answer> {
  const format = query.get('format') ?? 'json';
  if (format !== 'json') throw new Refusal(501, 'NOT_IN_BASELINE', 'The baseline builds the JSON summary only.');
  const client = await services.pool.connect();
  let records: HandoffRecords;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const read: ReadQuery = async (sql, parameters) => (await client.query(sql, parameters)).rows;
    records = await readHandoffRecords(read, String(admissionId), administrationRecord);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof DomainError) throw new Refusal(error.status, error.code, error.message);
    throw error;
  } finally {
    client.release();
  }
  const summary = buildHandoffSummary({ ...records, generatedAt: new Date(), timeZone: services.config.clinicTimeZone, clinic: services.config.clinic });
  await recordAudit(services.pool, context, {
    action: 'EXPORT',
    resource: 'handoff',
    resourceId: admissionId,
    patientId: records.patient.id,
    detail: { format, recipient: summary.recipient.name, practice: summary.recipient.practice },
  });
  // The format is negotiated (Accept or ?format=), as the app says with Vary.
  return { status: 200, body: summary, headers: { vary: 'accept' } };
}
