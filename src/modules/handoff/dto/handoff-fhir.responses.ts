import { ApiProperty } from '@nestjs/swagger';

// The OpenAPI description of the FHIR form of the handoff (fhir/handoff-fhir.ts): a FHIR R4
// Bundle of type document. The resources themselves are FHIR's own; clients read them with a
// FHIR library, so they are described by their resourceType and id, not field by field.

class FhirIdentifierDto {
  @ApiProperty({ example: 'urn:ietf:rfc:3986' }) system: string;
  @ApiProperty({ example: 'urn:uuid:0f6d1c9a-3c1e-4b8e-9a55-2d0c7f1b4e21' }) value: string;
}

export class FhirBundleEntryDto {
  @ApiProperty({ example: 'urn:uuid:6a0b7e44-1d2c-4f83-b1a2-9c4e5d6f7a80' }) fullUrl: string;

  @ApiProperty({
    // Inside allOf: a `required` list of its own would otherwise stand for the property's own required flag.
    allOf: [{ type: 'object', required: ['resourceType'], properties: { resourceType: { type: 'string', example: 'Composition' }, id: { type: 'string' } }, additionalProperties: true }],
    description: 'A FHIR R4 resource: the Composition first, then the Patient, the practitioners, the MedicationStatements, Observations and the rest it refers to.',
  })
  resource: { resourceType: string; id?: string; [field: string]: unknown };
}

/** A FHIR R4 document Bundle (application/fhir+json). */
export class FhirBundleDto {
  @ApiProperty({ enum: ['Bundle'] }) resourceType: 'Bundle';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: FhirIdentifierDto }) identifier: FhirIdentifierDto;
  @ApiProperty({ enum: ['document'] }) type: 'document';
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({ type: [FhirBundleEntryDto] }) entry: FhirBundleEntryDto[];
}

