import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { calendarDate } from '../../common/clock.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { formatHn, PatientsRepository } from '../patients/index.js';
import { INVOICE_RESOURCE } from './invoice-drafting.service.js';
import type { InvoicePdfModel } from './invoice-pdf-model.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { loadInvoice, type InvoiceRecord } from './invoice-view.js';
import { daysInclusive } from '../../clinical/calendar-dates.js';

/** The invoice as a printable PDF for the family; producing one is an EXPORT on the audit trail. */
@Injectable()
export class InvoiceDocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly patients: PatientsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async pdf(id: string, context: RequestContext): Promise<{ filename: string; pdf: Buffer }> {
    const manager = this.dataSource.manager;
    const record = await loadInvoice(manager, id);
    const admission = await this.admissions.find(manager, record.invoice.admissionId);
    const patient = (await this.patients.findMany(manager, [admission.patientId])).get(admission.patientId);
    if (!patient) throw new NotFound('Patient');
    const model = this.model(record, { name: `${patient.givenName} ${patient.familyName}`, hn: formatHn(record.hn), dateOfBirth: patient.dateOfBirth, admissionId: admission.id, admittedOn: admission.admittedOn });
    const pdf = await renderInvoicePdf(model);
    await this.audit.record(context, { action: 'EXPORT', resource: INVOICE_RESOURCE, resourceId: id, patientId: record.invoice.patientId, detail: { format: 'pdf' } });
    return { filename: `${record.invoice.number ?? `draft-${id.slice(0, 8)}`}.pdf`, pdf };
  }

  private model({ invoice, lines, payments }: InvoiceRecord, patient: InvoicePdfModel['patient']): InvoicePdfModel {
    return {
      clinic: this.config.clinic,
      invoice: {
        number: invoice.number,
        status: invoice.status,
        issuedOn: invoice.issuedAt ? calendarDate(invoice.issuedAt, this.config.clinicTimeZone) : null,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        days: daysInclusive(invoice.periodStart, invoice.periodEnd),
        currency: 'THB',
        voidReason: invoice.voidReason,
      },
      patient,
      lines: lines.map(({ kind, description, serviceDate, quantity, unitPriceMinor, amountMinor }) => ({ kind, description, serviceDate, quantity, unitPriceMinor, amountMinor })),
      totals: { totalMinor: invoice.totalMinor, paidMinor: invoice.paidMinor, balanceMinor: invoice.status === 'VOID' ? 0 : invoice.totalMinor - invoice.paidMinor },
      usd: { thbPerUsd: this.config.thbPerUsd },
      payments: payments.map(({ receivedOn, method, amountMinor, reference, voidedAt, voidReason }) => ({
        receivedOn,
        method,
        amountMinor,
        reference,
        voidedOn: voidedAt ? calendarDate(voidedAt, this.config.clinicTimeZone) : null,
        voidReason,
      })),
    };
  }
}
