import { ApiProperty } from '@nestjs/swagger';
import { ENQUIRY_STATUSES, type EnquiryStatus } from '../enquiry-status.js';
import { RELATIONSHIPS, type EnquiryEntity, type Relationship } from '../enquiry.entity.js';

export class EnquiryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ENQUIRY_STATUSES }) status: EnquiryStatus;
  @ApiProperty() contactName: string;
  @ApiProperty({ type: String, nullable: true }) contactPhone: string | null;
  @ApiProperty({ type: String, nullable: true }) contactEmail: string | null;
  @ApiProperty({ enum: RELATIONSHIPS }) relationship: Relationship;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set by the first intake assessment.' }) patientId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was closed, referred or declined.' }) statusReason: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class EnquiryPage {
  @ApiProperty({ type: [EnquiryResponse] }) items: EnquiryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toEnquiryResponse(enquiry: EnquiryEntity): EnquiryResponse {
  return {
    id: enquiry.id,
    status: enquiry.status,
    contactName: enquiry.contactName,
    contactPhone: enquiry.contactPhone,
    contactEmail: enquiry.contactEmail,
    relationship: enquiry.relationship,
    source: enquiry.source,
    summary: enquiry.summary,
    patientId: enquiry.patientId,
    statusReason: enquiry.statusReason,
    createdBy: enquiry.createdBy,
    createdAt: enquiry.createdAt.toISOString(),
    updatedAt: enquiry.updatedAt.toISOString(),
  };
}
