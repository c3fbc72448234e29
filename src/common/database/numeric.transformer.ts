import type { ValueTransformer } from 'typeorm';

/** PostgreSQL numeric arrives as a string (to keep its precision); ours fit a JS number exactly. */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
