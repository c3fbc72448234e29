// The enquiries module as other modules see it.
export { ENQUIRY_ERRORS } from './enquiries.errors.js';
export { EnquiriesModule } from './enquiries.module.js';
export { EnquiriesRepository } from './enquiries.repository.js';
export { assertCanMove, type EnquiryStatus } from './enquiry-status.js';
export { EnquiryEntity } from './enquiry.entity.js';
