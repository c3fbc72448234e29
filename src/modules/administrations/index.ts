// The administrations module (the medication administration record) as other modules see it.
export { AdministrationEntity, ORDER_KINDS, type OrderKind } from './administration.entity.js';
export { AdministrationsModule } from './administrations.module.js';
export { AdministrationsRepository } from './administrations.repository.js';
export { AdministrationHistoryRepository, type TaperAdministration } from './administration-history.repository.js';
