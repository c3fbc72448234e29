/** Claims every access token carries and every verification checks. */
export const ACCESS_TOKEN_ISSUER = 'clinic-api';
export const ACCESS_TOKEN_AUDIENCE = 'clinic-staff';
