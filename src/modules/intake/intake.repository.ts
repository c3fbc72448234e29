import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssessmentEntity } from './assessment.entity.js';
import type { IntakeInput } from './intake-input.js';

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

  findById(manager: EntityManager, id: string): Promise<AssessmentEntity | null> {
    return manager.findOneBy(AssessmentEntity, { id });
  }

  versions(manager: EntityManager, enquiryId: string): Promise<AssessmentEntity[]> {
    return manager.find(AssessmentEntity, { where: { enquiryId }, order: { version: 'ASC' } });
  }

  /** The enquiry row is locked by the caller, so two assessments cannot take the same number. */
  async nextVersion(manager: EntityManager, enquiryId: string): Promise<number> {
    const [row]: { max: number | null }[] = await manager.query('SELECT max(version) AS max FROM assessments WHERE enquiry_id = $1', [enquiryId]);
    return (row?.max ?? 0) + 1;
  }

  async insert(manager: EntityManager, assessment: AssessmentEntity): Promise<void> {
    await manager.insert(AssessmentEntity, assessment);
  }
}
