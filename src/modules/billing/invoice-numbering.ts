import type { EntityManager } from 'typeorm';

/**
 * The next number of a year, INV-2027-000001 onwards. The upsert locks the year's counter row
 * until the issuing transaction ends: concurrent issues queue, and a rollback gives the number
 * back, so the sequence has no gaps and no repeats.
 */
export async function nextInvoiceNumber(manager: EntityManager, year: number): Promise<{ number: string; sequence: number }> {
  const [row]: { last_sequence: number }[] = await manager.query(
    `INSERT INTO invoice_counters (year, last_sequence) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_sequence = invoice_counters.last_sequence + 1
     RETURNING last_sequence`,
    [year],
  );
  const sequence = row!.last_sequence;
  return { number: `INV-${year}-${String(sequence).padStart(6, '0')}`, sequence };
}
