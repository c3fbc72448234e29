import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { trim } from '../validation/transforms.js';
import { SEARCH_TEXT_MAX_LENGTH } from './search-terms.js';

/** No control characters (C0, DEL, C1), no bidirectional embeddings, overrides or isolates (api.md v1.1). */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u;

const DESCRIPTION =
  'Any part of a name in any script (case and accents ignored), phone digits in any formatting (at least 3), ' +
  'an email (with its @) or a hospital number (HN-000123, 123). Best matches first.';

/** `?q=`: what staff type in a search box; 1 to 100 characters, no control characters. */
export function SearchText(options: { required: boolean }): PropertyDecorator {
  const doc = { description: DESCRIPTION, minLength: 1, maxLength: SEARCH_TEXT_MAX_LENGTH, example: 'somchai' };
  return applyDecorators(
    options.required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(options.required ? [] : [IsOptional()]),
    Transform(trim),
    IsString(),
    MinLength(1),
    MaxLength(SEARCH_TEXT_MAX_LENGTH),
    Matches(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters or bidirectional overrides' }),
  );
}
