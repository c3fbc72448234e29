import { ApiBody } from '@nestjs/swagger';

/**
 * The body of an action that takes none (sign, issue, triage). Bound with `@Body()`, the global
 * validation pipe refuses any field in it (400), so a client that believes it sends a choice
 * (`{ "pathway": ... }`) learns it was not taken instead of having it silently ignored.
 */
export class NoBody {}

/** Documents the empty body: nothing, or `{}`. */
export const NoBodyAccepted = () =>
  ApiBody({ required: false, description: 'No body: send nothing or {}. Any field is refused (400).', schema: { type: 'object', additionalProperties: false } });
