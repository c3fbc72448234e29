import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { ordersAboveCorrectedIntake } from '../../clinical/intake-correction-review.js';
import { intakeRegimenOf } from '../../clinical/regimen-mme.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, type AdmissionEntity } from '../admissions/index.js';
import { IntakeService, type IntakeCorrectionRequest } from '../intake/index.js';
import { PainPlanReview } from '../pain-plan/index.js';
import { TaperOrdersRepository } from '../taper-orders/index.js';
import type { IntakeCorrectionResponse } from './dto/intake-correction.responses.js';

/**
 * Correcting the intake of a patient in a stay (an opioid missed at intake, a kidney function
 * measured on the ward): a new version of the assessment, with its reason; the enquiry stays
 * ADMITTED and the triage stands. The admission is locked, so orders checked against the intake
 * wait for it. What the corrected intake leaves above it or past a limit is named in the answer
 * and on the audit trail, never changed behind the psychiatrist's back.
 */
@Injectable()
export class IntakeCorrectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly intake: IntakeService,
    private readonly taperOrders: TaperOrdersRepository,
    private readonly painPlan: PainPlanReview,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async correct(admissionId: string, request: IntakeCorrectionRequest, context: SignedInContext): Promise<IntakeCorrectionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lockActive(manager, admissionId);
      const { correctionReason, ...assessment } = request;
      const corrected = await this.intake.correctAdmitted(manager, admission.enquiryId, assessment, correctionReason, context);
      const ordersToReview = [...(await this.taperOrdersAbove(manager, admission, corrected.input.opioids)), ...(await this.painPlan.ordersOutsideLimits(manager, admission))];
      if (ordersToReview.length > 0) {
        const detail = { assessmentId: corrected.id, ordersToReview: ordersToReview.map((w) => w.code) };
        await this.audit.record(context, { action: 'READ', resource: 'admission_orders_review', resourceId: admission.id, patientId: admission.patientId, detail }, manager);
      }
      return { ...corrected, ordersToReview };
    });
  }

  private async taperOrdersAbove(manager: EntityManager, admission: AdmissionEntity, opioids: IntakeCorrectionResponse['input']['opioids']): Promise<ClinicalWarning[]> {
    const versions = await this.taperOrders.activeVersions(manager, admission.id);
    const orders = versions.map((v) => ({ drug: v.drug, formulation: v.formulation, unit: v.unit, label: v.orderId, replaces: v.replaces, steps: v.steps }));
    return ordersAboveCorrectedIntake(intakeRegimenOf(opioids), orders, this.clock.today(this.config.clinicTimeZone));
  }
}
