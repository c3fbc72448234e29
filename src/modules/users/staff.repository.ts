import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../../common/auth/role.js';
import { UserEntity } from './user.entity.js';

/** Staff accounts as other modules ask about them: is this colleague on duty in this role? */
@Injectable()
export class StaffRepository {
  async isActiveWithRole(manager: EntityManager, id: string, role: Role): Promise<boolean> {
    const user = await manager.findOne(UserEntity, { select: { id: true, roles: true, active: true }, where: { id } });
    return user !== null && user.active && user.roles.includes(role);
  }
}
