import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { ADMISSION_STATUSES, type AdmissionStatus } from '../admission.entity.js';

export class AdmitRequest {
  @ApiProperty({ format: 'date', example: '2027-01-04', description: 'May be planned ahead or entered after the fact.' })
  @IsCalendarDate()
  admittedOn: string;

  @ApiPropertyOptional({ description: 'Arrives after detox at the partner hospital. Default: true when the pathway is HOSPITAL_DETOX_FIRST.' })
  @IsOptional() @IsBoolean()
  viaPartnerHospital?: boolean;
}

export class ListAdmissionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ADMISSION_STATUSES })
  @IsOptional() @IsIn(ADMISSION_STATUSES)
  status?: AdmissionStatus;
}
