import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays } from '../../clinical/taper.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { assertNotInFuture } from '../../common/validation/calendar-date.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, assertWithinStay } from '../admissions/index.js';
import { TaperOrdersRepository, type ActiveVersion } from '../taper-orders/index.js';
import { AFTERCARE_ERRORS } from './aftercare.errors.js';
import type { ConsentDto, DischargeRequest } from './dto/discharge.requests.js';
import { toCheckInDto, type ConsentResponse, type DischargeResponse } from './dto/discharge.responses.js';
import { CheckInEntity } from './entities/check-in.entity.js';
import { DischargeEntity } from './entities/discharge.entity.js';
import { ShareConsentEntity } from './entities/share-consent.entity.js';
import { lastInvoicedDay, lastRecordOfStay } from './last-record.js';

/** Two months of weekly check-ins are included in the fee (domain.md §10–11). */
const AFTERCARE_WEEKS = 8;

/** A consent is recorded during the stay or after it, never before the patient arrived. */
const CONSENT_DATE = { afterDischargeAllowed: true };

/** Discharge to aftercare: the outside prescriber, the patient's consent, the check-in plan. */
@Injectable()
export class DischargeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly taperOrders: TaperOrdersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async discharge(admissionId: string, request: DischargeRequest, context: SignedInContext): Promise<DischargeResponse> {
    const today = this.clock.today(this.config.clinicTimeZone);
    assertNotInFuture('dischargedOn', request.dischargedOn, today);
    assertNotInFuture('consentToShare.recordedOn', request.consentToShare.recordedOn, today);
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lock(manager, admissionId);
      if (admission.status !== 'ACTIVE') throw AFTERCARE_ERRORS.ALREADY_DISCHARGED('This patient has already been discharged.');
      if (request.dischargedOn < admission.admittedOn) {
        throw AFTERCARE_ERRORS.DISCHARGE_BEFORE_ADMISSION(`The stay began on ${admission.admittedOn}.`, [{ field: 'dischargedOn', reason: `must not be before ${admission.admittedOn}` }]);
      }
      await assertNoRecordsAfter(manager, admissionId, request.dischargedOn, this.config.clinicTimeZone);
      assertNoOrderStartsAfter(await this.taperOrders.activeVersions(manager, admissionId), request.dischargedOn);
      assertWithinStay(admission, request.consentToShare.recordedOn, 'consentToShare.recordedOn', CONSENT_DATE);
      await this.admissions.markDischarged(manager, admission, request.dischargedOn);
      const prescriber = request.outsidePrescriber;
      const discharge = manager.create(DischargeEntity, {
        admissionId,
        dischargedOn: request.dischargedOn,
        prescriberName: prescriber.name,
        prescriberPractice: prescriber.practice ?? null,
        prescriberPhone: prescriber.phone ?? null,
        prescriberEmail: prescriber.email ?? null,
        recordedBy: context.actor.id,
      });
      await manager.insert(DischargeEntity, discharge);
      const consent = await this.insertConsent(manager, admissionId, prescriber.name, request.consentToShare, context);
      const checkIns = Array.from({ length: AFTERCARE_WEEKS }, (_, i) =>
        manager.create(CheckInEntity, { admissionId, patientId: admission.patientId, sequence: i + 1, dueOn: addDays(request.dischargedOn, 7 * (i + 1)), status: 'PLANNED', notes: null, updatedBy: null }),
      );
      await manager.insert(CheckInEntity, checkIns);
      await this.audit.record(context, { action: 'UPDATE', resource: 'admission', resourceId: admissionId, patientId: admission.patientId, detail: { status: 'DISCHARGED', consentGiven: consent.given } }, manager);
      return { admissionId, status: 'DISCHARGED', dischargedOn: request.dischargedOn, outsidePrescriber: toPrescriber(discharge), consent, checkIns: checkIns.map(toCheckInDto) };
    });
  }

  /** A later decision: consent given after all, or withdrawn (the handoff is refused again). */
  async recordConsent(admissionId: string, request: ConsentDto, context: SignedInContext): Promise<ConsentResponse> {
    assertNotInFuture('recordedOn', request.recordedOn, this.clock.today(this.config.clinicTimeZone));
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lock(manager, admissionId);
      const discharge = await manager.findOneBy(DischargeEntity, { admissionId });
      if (!discharge) throw AFTERCARE_ERRORS.NOT_DISCHARGED('Consent to share is recorded at or after discharge.');
      assertWithinStay(admission, request.recordedOn, 'recordedOn', CONSENT_DATE);
      const consent = await this.insertConsent(manager, admissionId, discharge.prescriberName, request, context);
      await this.audit.record(context, { action: 'UPDATE', resource: 'consent', resourceId: admissionId, patientId: admission.patientId, detail: { given: request.given } }, manager);
      return consent;
    });
  }

  async checkIns(manager: EntityManager, admissionId: string): Promise<CheckInEntity[]> {
    return manager.find(CheckInEntity, { where: { admissionId }, order: { sequence: 'ASC' } });
  }

  private async insertConsent(manager: EntityManager, admissionId: string, recipientName: string, request: ConsentDto, context: SignedInContext): Promise<ConsentResponse> {
    const consent = manager.create(ShareConsentEntity, { admissionId, given: request.given, recipientName, recordedOn: request.recordedOn, recordedBy: context.actor.id });
    await manager.insert(ShareConsentEntity, consent);
    return { given: consent.given, recordedOn: consent.recordedOn, recipientName };
  }
}

/** The discharge day is not before the stay's last record of care, nor before the last day a live invoice bills. */
async function assertNoRecordsAfter(manager: EntityManager, admissionId: string, dischargedOn: string, timeZone: string): Promise<void> {
  const last = await lastRecordOfStay(manager, admissionId, timeZone);
  if (last && dischargedOn < last.day) {
    throw AFTERCARE_ERRORS.DISCHARGE_BEFORE_RECORDS(`The stay has ${last.what} dated ${last.day}; the discharge is on that day or later.`, [
      { field: 'dischargedOn', reason: `must not be before ${last.day} (${last.what})` },
    ]);
  }
  const invoiced = await lastInvoicedDay(manager, admissionId);
  if (invoiced && dischargedOn < invoiced.day) {
    const invoice = invoiced.number ?? 'a draft invoice';
    throw AFTERCARE_ERRORS.DISCHARGE_BEFORE_RECORDS(
      `${invoiced.number ? `Invoice ${invoiced.number}` : 'A draft invoice'} bills the residential fee to ${invoiced.day}. To discharge on ${dischargedOn}, void that invoice and invoice the stay again up to the discharge.`,
      [{ field: 'dischargedOn', reason: `must not be before ${invoiced.day} (the last day billed on ${invoice})` }],
    );
  }
}

export function toPrescriber(discharge: DischargeEntity): DischargeResponse['outsidePrescriber'] {
  return { name: discharge.prescriberName, practice: discharge.prescriberPractice, phone: discharge.prescriberPhone, email: discharge.prescriberEmail };
}

/**
 * An order starts within the stay (domain.md §7): a signed taper order whose first dose would come
 * after the discharge day (a rotation planned for tomorrow) is stopped first, or the handoff would
 * tell the next prescriber to continue a medicine the patient never took here.
 */
function assertNoOrderStartsAfter(orders: readonly ActiveVersion[], dischargedOn: string): void {
  const unstarted = orders
    .map((o) => ({ order: `the ${o.drug} ${o.formulation} taper order`, startsOn: o.steps.find((s) => s.dailyDose > 0)?.startsOn }))
    .filter((o): o is { order: string; startsOn: string } => o.startsOn !== undefined && o.startsOn > dischargedOn)
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn))[0];
  if (!unstarted) return;
  const { order, startsOn } = unstarted;
  throw AFTERCARE_ERRORS.ORDER_STARTS_AFTER_DISCHARGE(`${order} first gives a dose on ${startsOn}, after the discharge: discontinue it first, or discharge on or after that day.`, [
    { field: 'dischargedOn', reason: `is before the start of ${order} (${startsOn})` },
  ]);
}
