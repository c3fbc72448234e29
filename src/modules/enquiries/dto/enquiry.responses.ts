import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ENQUIRY_STATUSES, type EnquiryStatus } from '../enquiry-status.js';
import { RELATIONSHIPS, type EnquiryEntity, type Relationship } from '../enquiry.entity.js';

/**
 * An enquiry as a nurse, billing or aftercare search finds it: who called, how to call back,
 * where it stands. Not what was said (`summary`, `source`, `statusReason`) nor who took it: that
 * is the register's, read by admissions and the psychiatrist (`GET /enquiries/:id`).
 */
export class EnquirySearchResult {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ENQUIRY_STATUSES }) status: EnquiryStatus;
  @ApiProperty() contactName: string;
  @ApiProperty({ type: String, nullable: true }) contactPhone: string | null;
  @ApiProperty({ type: String, nullable: true }) contactEmail: string | null;
  @ApiProperty({ enum: RELATIONSHIPS }) relationship: Relationship;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set by the first intake assessment.' }) patientId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A whole enquiry, as admissions and the psychiatrist read the register. */
export class EnquiryResponse extends EnquirySearchResult {
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was closed, referred or declined.' }) statusReason: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class EnquiryPage {
  // anyOf, not oneOf: a whole enquiry also has every field of a search result.
  @ApiProperty({
    type: 'array',
    items: { anyOf: [{ $ref: getSchemaPath(EnquiryResponse) }, { $ref: getSchemaPath(EnquirySearchResult) }] },
    description: 'Whole enquiries for admissions and the psychiatrist; for nurse, billing and aftercare (who may only search) an EnquirySearchResult each.',
  })
  items: (EnquiryResponse | EnquirySearchResult)[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toEnquiryResponse(enquiry: EnquiryEntity): EnquiryResponse {
  return {
    ...toEnquirySearchResult(enquiry),
    source: enquiry.source,
    summary: enquiry.summary,
    statusReason: enquiry.statusReason,
    createdBy: enquiry.createdBy,
    updatedAt: enquiry.updatedAt.toISOString(),
  };
}

export function toEnquirySearchResult(enquiry: EnquiryEntity): EnquirySearchResult {
  return {
    id: enquiry.id,
    status: enquiry.status,
    contactName: enquiry.contactName,
    contactPhone: enquiry.contactPhone,
    contactEmail: enquiry.contactEmail,
    relationship: enquiry.relationship,
    patientId: enquiry.patientId,
    createdAt: enquiry.createdAt.toISOString(),
  };
}
