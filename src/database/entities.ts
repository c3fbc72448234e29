import { RefreshTokenEntity } from '../modules/users/refresh-token.entity.js';
import { UserEntity } from '../modules/users/user.entity.js';

/** Every TypeORM entity of the service. */
export const ENTITIES = [UserEntity, RefreshTokenEntity];
