import type { ValueTransformer } from 'typeorm';

/** bigint columns arrive as strings; money in minor units stays far below 2^53, so a number is exact. */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
