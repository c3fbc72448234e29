import { ApiProperty } from '@nestjs/swagger';
import { CHECK_IN_STATUSES, type CheckInEntity, type CheckInStatus } from '../entities/check-in.entity.js';

export class CheckInDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '1 to 8.' }) sequence: number;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ enum: CHECK_IN_STATUSES }) status: CheckInStatus;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
}

export class AftercareResponse {
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ type: [CheckInDto] }) checkIns: CheckInDto[];
}

export class ConsentResponse {
  @ApiProperty() given: boolean;
  @ApiProperty({ format: 'date' }) recordedOn: string;
  @ApiProperty() recipientName: string;
}

/** The prescriber as recorded: what was left out of the request is null. */
export class OutsidePrescriberResponse {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) practice: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class DischargeResponse {
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ enum: ['DISCHARGED'] }) status: string;
  @ApiProperty({ format: 'date' }) dischargedOn: string;
  @ApiProperty({ type: OutsidePrescriberResponse }) outsidePrescriber: OutsidePrescriberResponse;
  @ApiProperty({ type: ConsentResponse }) consent: ConsentResponse;
  @ApiProperty({ type: [CheckInDto] }) checkIns: CheckInDto[];
}

export function toCheckInDto(checkIn: CheckInEntity): CheckInDto {
  return { id: checkIn.id, sequence: checkIn.sequence, dueOn: checkIn.dueOn, status: checkIn.status, notes: checkIn.notes };
}
