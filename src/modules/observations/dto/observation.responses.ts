import { ApiProperty } from '@nestjs/swagger';
import type { ClinicalWarning } from '../../../clinical/clinical-error.js';
import { COWS_ALERT_CODES, COWS_BANDS, COWS_ITEM_NAMES, type CowsBand, type CowsItems } from '../../../clinical/cows.js';
import { OBSERVATION_TYPES, type ObservationEntity, type ObservationType } from '../observation.entity.js';
import { CowsItemsDto } from './observation.requests.js';

const BANDS = COWS_BANDS.map((b) => b.band);

export class ObservationAlertDto {
  @ApiProperty({ enum: COWS_ALERT_CODES, example: 'CONSIDER_PAUSING_TAPER' }) code: string;
  @ApiProperty({ example: 'Moderate withdrawal (COWS 13–24) during an active taper: consider pausing the taper.' }) message: string;
}

export class ObservationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: OBSERVATION_TYPES }) type: ObservationType;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ description: 'COWS: the total of the items (0–48). PAIN: the rating (0–10).' }) score: number;
  @ApiProperty({ enum: BANDS, nullable: true, type: String, description: 'COWS only.' }) band: CowsBand | null;
  @ApiProperty({ type: CowsItemsDto, nullable: true, description: 'COWS only.' }) items: CowsItems | null;
  @ApiProperty({ type: [ObservationAlertDto], description: 'Raised only by a COWS of moderate or worse withdrawal during an active taper.' })
  alerts: ClinicalWarning[];
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ObservationPage {
  @ApiProperty({ type: [ObservationResponse], description: 'Newest recordedAt first.' }) items: ObservationResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toObservationResponse(observation: ObservationEntity): ObservationResponse {
  return {
    id: observation.id,
    admissionId: observation.admissionId,
    patientId: observation.patientId,
    type: observation.type,
    recordedAt: observation.recordedAt.toISOString(),
    score: observation.score,
    band: observation.band,
    items: observation.items ? toCowsItems(observation.items) : null,
    alerts: observation.alerts.map((alert) => ({ code: alert.code, message: alert.message })),
    recordedBy: observation.recordedBy,
    createdAt: observation.createdAt.toISOString(),
  };
}

/** The scale's items in its own order, and nothing else from the stored JSON. */
function toCowsItems(items: CowsItems): CowsItems {
  return Object.fromEntries(COWS_ITEM_NAMES.map((item) => [item, items[item]])) as CowsItems;
}
