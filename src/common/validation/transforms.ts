/** Trims strings; leaves everything else for the validators to judge. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
