import { ApiProperty } from '@nestjs/swagger';
import { ORDER_KINDS, type OrderKind } from '../administration.entity.js';

/** Why an item's remaining is held below what its orders give, or why the order needs review. */
export class DoseLimitedBy {
  @ApiProperty({
    example: 'RENAL_DOSE_EXCEEDED',
    description:
      'The code the record refuses a dose above `remaining` with: `RENAL_DOSE_EXCEEDED` or `MAX_DAILY_DOSE_EXCEEDED` (the patient’s limit is lower than the orders), ' +
      'or `HEPATIC_CONTRAINDICATED`, `CONTRAINDICATED`, `NSAID_CONTRAINDICATED` (the patient’s record now rules the drug out; remaining is 0).',
  })
  code: string;
  @ApiProperty({ description: 'Which factor lowered the limit (e.g. a creatinine clearance of 15–29 mL/min, hepatic impairment) and that the order needs the psychiatrist’s review, or which 24 hours hold the drug.' })
  reason: string;
}

/** One order of one patient on the nurses' list for a day: what is due, what was given, what remains. */
export class DoseDueItem {
  @ApiProperty({ enum: ORDER_KINDS }) kind: OrderKind;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() patientName: string;
  @ApiProperty({ example: 'HN-000123', description: "The patient's hospital number, to check beside the name before giving a dose." }) hn: string;
  @ApiProperty({ example: 'oxycodone' }) drug: string;
  @ApiProperty({ type: String, nullable: true, example: 'IR', description: 'A taper: the formulation of the product.' }) formulation: string | null;
  @ApiProperty({ example: 'mg' }) unit: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Pain-plan and as-needed orders: the dose each time.' }) dose: number | null;
  @ApiProperty({ description: 'The day’s scheduled dose (taper), the ordered daily dose (pain plan), or the most in a day (as needed).' }) dailyDose: number;
  @ApiProperty({ type: Number, nullable: true, description: 'A taper: the MME of the day’s dose; null where MME does not apply.' }) dailyMme: number | null;
  @ApiProperty({ description: 'Given so far that day under this order (entries GIVEN, not void); for a fentanyl patch, the mcg/h of patches still on at the day’s end (a patch is worn 72 hours).' }) givenSoFar: number;
  @ApiProperty({
    description:
      'What may still be given that day, never below 0: a taper, dailyDose − givenSoFar; a pain-plan or as-needed order, 0 once discontinued, otherwise its dailyDose less ' +
      'what it and earlier orders of the drug of its kind gave, and at most what the drug’s orders in force allow together less all they gave; ' +
      'and never more than the patient’s limits by the latest intake allow a dose given now (kidney rows, hepatic limits, paracetamol over any 24 hours ' +
      'from every source; 0 for a drug the record now rules out): a dose of `remaining` is accepted by the record, a dose above it refused. ' +
      'A taper of a combination opioid (intake `paracetamolPerUnitMg`) is also held to the paracetamol its doses carry, over any 24 hours from every source, ' +
      'rounded down to a dose the order’s strengths make.',
  })
  remaining: number;
  @ApiProperty({
    type: DoseLimitedBy,
    nullable: true,
    description:
      'A pain-plan or as-needed item held by the patient’s current limits rather than by its orders (e.g. after an intake correction), or a taper of a combination opioid ' +
      'held below its schedule by the paracetamol its doses carry (`MAX_DAILY_DOSE_EXCEEDED`): why. Null otherwise.',
  })
  limitedBy: DoseLimitedBy | null;
  @ApiProperty({ description: 'How many doses were given so far that day (for a fentanyl patch: the patches still on).' }) dosesGiven: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last dose that day was given (for a fentanyl patch: when the last patch still on was applied).' }) lastGivenAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'A fentanyl patch on at some time that day: when the last one applied comes off; the next patch is due then, not before (the record refuses an overlap). Null otherwise.',
  })
  patchOnUntil: string | null;
  @ApiProperty({ format: 'uuid', description: 'What to record administrations against (a taper: the id all its versions share).' }) orderId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) versionId: string | null;
  @ApiProperty({ type: Number, nullable: true }) version: number | null;
  @ApiProperty({ type: Number, nullable: true }) step: number | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) stepStartedOn: string | null;
  @ApiProperty({ description: 'A taper whose dose a pause holds on this day.' }) paused: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'As needed: the least time between doses.' }) minIntervalHours: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'As needed: the most doses in a day.' }) maxDosesPerDay: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'As needed: given only at a COWS score of at least this.' }) cowsThreshold: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'A pain-plan or as-needed order discontinued: when (it stays on the list of that day, with nothing remaining).' })
  discontinuedAt: string | null;
}

export class DosesDueResponse {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ type: [DoseDueItem], description: 'By patient (family name, given name), then taper, pain-plan and as-needed orders, then drug (a discontinued order before the one in force).' }) items: DoseDueItem[];
}
