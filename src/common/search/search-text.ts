import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsOptional } from '../validation/optional.js';
import { IsSafeText } from '../validation/safe-text.js';
import { trim } from '../validation/transforms.js';
import { SEARCH_TEXT_MAX_LENGTH } from './search-terms.js';

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
    IsSafeText(),
  );
}
