import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { NotFound } from '../../common/errors/common.errors.js';
import { formatHn } from '../patients/index.js';
import type { InvoiceLineDto, InvoiceResponse, PaymentDto } from './dto/invoice.responses.js';
import { InvoiceLineEntity } from './entities/invoice-line.entity.js';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { PaymentEntity } from './entities/payment.entity.js';
import { daysInclusive } from '../../clinical/calendar-dates.js';

/** An invoice with its lines and payments, as stored, and the patient's hospital number. */
export interface InvoiceRecord {
  invoice: InvoiceEntity;
  lines: InvoiceLineEntity[];
  payments: PaymentEntity[];
  hn: string;
}

/** An invoice and its patient's hospital number (read in the invoice's statement). */
export interface InvoiceWithHn {
  invoice: InvoiceEntity;
  hn: string;
}

/** Invoices with their patient's HN beside each: add the conditions, order and lock, then readInvoices. */
export function invoiceQuery(manager: EntityManager): SelectQueryBuilder<InvoiceEntity> {
  return manager.createQueryBuilder(InvoiceEntity, 'i').addSelect('(SELECT p.hn FROM patients p WHERE p.id = i.patient_id)', 'patient_hn');
}

export async function readInvoices(builder: SelectQueryBuilder<InvoiceEntity>): Promise<InvoiceWithHn[]> {
  const { entities, raw } = await builder.getRawAndEntities<{ patient_hn: string }>();
  return entities.map((invoice, i) => ({ invoice, hn: raw[i]!.patient_hn }));
}

/** Loads one invoice with its lines and payments (three statements). `lock` holds the invoice row. */
export async function loadInvoice(manager: EntityManager, id: string, lock = false): Promise<InvoiceRecord> {
  const builder = invoiceQuery(manager).where('i.id = :id', { id });
  if (lock) builder.setLock('pessimistic_write');
  const [found] = await readInvoices(builder);
  if (!found) throw new NotFound('Invoice');
  const [records] = await loadChildren(manager, [found]);
  return records!;
}

/** Lines and payments of many invoices in two statements. */
export async function loadChildren(manager: EntityManager, invoices: InvoiceWithHn[]): Promise<InvoiceRecord[]> {
  const ids = invoices.map(({ invoice }) => invoice.id);
  const lines = ids.length ? await manager.find(InvoiceLineEntity, { where: { invoiceId: In(ids) }, order: { position: 'ASC' } }) : [];
  const payments = ids.length ? await manager.find(PaymentEntity, { where: { invoiceId: In(ids) }, order: { createdAt: 'ASC' } }) : [];
  return invoices.map(({ invoice, hn }) => ({
    invoice,
    hn,
    lines: lines.filter((line) => line.invoiceId === invoice.id),
    payments: payments.filter((payment) => payment.invoiceId === invoice.id),
  }));
}

export function toInvoiceResponse({ invoice, lines, payments, hn }: InvoiceRecord): InvoiceResponse {
  const chargesOnly = !lines.some((line) => line.kind === 'RESIDENTIAL_FEE');
  return {
    id: invoice.id,
    admissionId: invoice.admissionId,
    patientId: invoice.patientId,
    hn: formatHn(hn),
    status: invoice.status,
    number: invoice.number,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    days: chargesOnly ? 0 : daysInclusive(invoice.periodStart, invoice.periodEnd),
    chargesOnly,
    lines: lines.map(toLineDto),
    totalMinor: invoice.totalMinor,
    paidMinor: invoice.paidMinor,
    balanceMinor: invoice.status === 'VOID' ? 0 : invoice.totalMinor - invoice.paidMinor,
    currency: invoice.currency,
    payments: payments.map(toPaymentDto),
    issuedAt: invoice.issuedAt?.toISOString() ?? null,
    voidedAt: invoice.voidedAt?.toISOString() ?? null,
    voidReason: invoice.voidReason,
    createdBy: invoice.createdBy,
    createdAt: invoice.createdAt.toISOString(),
  };
}

function toLineDto(line: InvoiceLineEntity): InvoiceLineDto {
  return {
    kind: line.kind,
    description: line.description,
    serviceDate: line.serviceDate,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    amountMinor: line.amountMinor,
    ...(line.chargeId ? { chargeId: line.chargeId } : {}),
  };
}

function toPaymentDto(payment: PaymentEntity): PaymentDto {
  return {
    id: payment.id,
    amountMinor: payment.amountMinor,
    method: payment.method,
    receivedOn: payment.receivedOn,
    reference: payment.reference,
    idempotencyKey: payment.idempotencyKey,
    createdAt: payment.createdAt.toISOString(),
    voidedAt: payment.voidedAt?.toISOString() ?? null,
    voidedBy: payment.voidedBy,
    voidReason: payment.voidReason,
  };
}
