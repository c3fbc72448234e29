import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { PatientEntity } from '../patients/index.js';
import { AssessmentEntity } from './assessment.entity.js';
import type { IntakeInput } from './intake-input.js';

/** An assessment as its reader sees it: with the patient's hospital number. */
export interface AssessmentRead {
  assessment: AssessmentEntity;
  hn: string;
}

/** Intake assessments, each a version of an enquiry's assessment. */
@Injectable()
export class IntakeRepository {
  /** The latest version, inside the caller's transaction. */
  current(manager: EntityManager, enquiryId: string): Promise<AssessmentEntity | null> {
    return manager.findOne(AssessmentEntity, { where: { enquiryId }, order: { version: 'DESC' } });
  }

  /**
   * The answers of an admitted enquiry's assessment (the one triage used: once an enquiry is
   * triaged it cannot be assessed again, so the latest version is that one).
   */
  async answersOfAdmitted(manager: EntityManager, enquiryId: string): Promise<IntakeInput> {
    const assessment = await this.current(manager, enquiryId);
    if (!assessment) throw new Error(`Admitted enquiry ${enquiryId} has no assessment`);
    return assessment.input;
  }

  /** The latest version, with the patient's HN (in the same statement). */
  async readCurrent(manager: EntityManager, enquiryId: string): Promise<AssessmentRead | null> {
    const [read] = await withHn(this.reader(manager).where('a.enquiry_id = :enquiryId', { enquiryId }).orderBy('a.version', 'DESC').limit(1));
    return read ?? null;
  }

  async readById(manager: EntityManager, id: string): Promise<AssessmentRead | null> {
    const [read] = await withHn(this.reader(manager).where('a.id = :id', { id }));
    return read ?? null;
  }

  /** Oldest first. */
  readVersions(manager: EntityManager, enquiryId: string): Promise<AssessmentRead[]> {
    return withHn(this.reader(manager).where('a.enquiry_id = :enquiryId', { enquiryId }).orderBy('a.version', 'ASC'));
  }

  /** The enquiry row is locked by the caller, so two assessments cannot take the same number. */
  async nextVersion(manager: EntityManager, enquiryId: string): Promise<number> {
    const [row]: { max: number | null }[] = await manager.query('SELECT max(version) AS max FROM assessments WHERE enquiry_id = $1', [enquiryId]);
    return (row?.max ?? 0) + 1;
  }

  /** The earliest clinical date of any assessment of the patient, in any enquiry (as assessedOnOf reads it). */
  async firstAssessedOn(manager: EntityManager, patientId: string, timeZone: string): Promise<string | null> {
    const [row]: { first: string | null }[] = await manager.query(
      `SELECT min(coalesce((input->>'assessedOn')::date, (created_at AT TIME ZONE $2)::date))::text AS first FROM assessments WHERE patient_id = $1`,
      [patientId, timeZone],
    );
    return row?.first ?? null;
  }

  async insert(manager: EntityManager, assessment: AssessmentEntity): Promise<void> {
    await manager.insert(AssessmentEntity, assessment);
  }

  private reader(manager: EntityManager): SelectQueryBuilder<AssessmentEntity> {
    return manager.createQueryBuilder(AssessmentEntity, 'a').innerJoin(PatientEntity, 'p', 'p.id = a.patient_id').addSelect('p.hn', 'patient_hn');
  }
}

async function withHn(builder: SelectQueryBuilder<AssessmentEntity>): Promise<AssessmentRead[]> {
  const { entities, raw } = await builder.getRawAndEntities<{ patient_hn: string }>();
  return entities.map((assessment, i) => ({ assessment, hn: raw[i]!.patient_hn }));
}
