import type { RequestExample } from '../../../common/http/api-content.js';
import type { LoginRequest } from './auth.requests.js';

export const LOGIN_EXAMPLES: Record<string, { summary: string; value: RequestExample<LoginRequest> }> = {
  login: { summary: 'Email and password', value: { email: 'admin@clinic.example', password: 'correct horse battery staple' } },
};
