import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Role } from './role.js';

/** Who may call a route. Every route declares one; a route without it is refused to everyone. */
export type AccessRule = { kind: 'public' } | { kind: 'any-staff' } | { kind: 'roles'; roles: Role[]; searchers?: Role[] };

export const ACCESS_METADATA = 'clinic:access';
export const ACCESS_EXTENSION = 'x-access';

/** No token needed (login, refresh, health). */
export const Public = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule), ApiExtension(ACCESS_EXTENSION, 'public'));

/** Any signed-in staff member, whatever their roles (their own profile, for example). */
export const AnyStaff = () =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'any-staff' } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension(ACCESS_EXTENSION, 'any staff'),
  );

/** Staff holding at least one of these roles. */
export const Roles = (...roles: [Role, ...Role[]]) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension(ACCESS_EXTENSION, roles.join(', ')),
  );

/**
 * A list that `roles` browse and `searchers` may only search: the request must carry a
 * non-empty `q` for them (the enquiry register is worked by admissions, found by everyone).
 */
export const RolesOrSearchers = (roles: [Role, ...Role[]], searchers: [Role, ...Role[]]) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'roles', roles, searchers } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension(ACCESS_EXTENSION, `${roles.join(', ')}; with q also ${searchers.join(', ')}`),
  );
