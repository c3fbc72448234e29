import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { analyseRouteErrors, GENERATED_FILE, renderRouteErrors, type RouteErrors } from '../tools/route-errors.js';

/**
 * The errors each route documents are found in its code by tools/route-errors.ts; the result is
 * committed so that the service needs no compiler at run time. This test reads the code again.
 */
describe('route errors derived from the code', () => {
  let routes: RouteErrors;
  beforeAll(() => {
    routes = analyseRouteErrors();
  }, 120_000);

  it('are what is committed in the generated map', () => {
    const committed = readFileSync(GENERATED_FILE, 'utf8');
    const fresh = renderRouteErrors(routes);
    if (committed !== fresh) {
      throw new Error(`${GENERATED_FILE} is stale: a route now throws other errors than the OpenAPI document says. Run \`npm run api:errors\` and commit the file.`);
    }
  });

  it('follow a route through its service, repositories and the clinical rules', () => {
    // Controller → TaperOrdersService.createDraft → applyClinicalRules(generateTaper …) and AdmissionsRepository.lockActive.
    expect(routes['TaperOrdersController.create']).toEqual(
      expect.arrayContaining(['ABRUPT_DISCONTINUATION', 'FASTER_THAN_GUIDANCE', 'DOSE_NOT_ACHIEVABLE', 'ADMISSION_NOT_ACTIVE', 'NOT_FOUND']),
    );
    // The v1.1 regimen checks (api.md): found through the service's regimen check, not listed by hand.
    expect(routes['TaperOrdersController.create']).toEqual(
      expect.arrayContaining(['LARGE_SINGLE_CUT', 'NOT_IN_INTAKE_REGIMEN', 'ROTATION_ABOVE_INTAKE_MME', 'ABOVE_INTAKE_DOSE', 'ABOVE_INTAKE_MME', 'START_BEFORE_ADMISSION']),
    );
    expect(routes['AuthController.login']).toEqual(['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS']);
    // Refusal objects made by the pain-plan rules and thrown through CLINICAL_ERRORS[refusal.code].
    expect(routes['PainPlanController.order']).toEqual(expect.arrayContaining(['MAX_DAILY_DOSE_EXCEEDED', 'DUPLICATE_NSAID', 'NSAID_CONTRAINDICATED', 'CONTRAINDICATED', 'DUPLICATE_MEDICATION']));
    // new NotFound(…) and new ValidationFailed(…) lead to COMMON_ERRORS.
    expect(routes['UsersController.get']).toEqual(['NOT_FOUND']);
  });

  it('count clinical refusals only where applyClinicalRules turns them into a 422', () => {
    // The handoff builder calls clinical code (the pain trend) directly, not through applyClinicalRules.
    expect(routes['HandoffController.handoff']).toEqual(['CONSENT_REQUIRED', 'NOT_DISCHARGED', 'NOT_FOUND']);
    expect(routes['InvoicesController.get']).toEqual(['NOT_FOUND']);
    // Listing and reading orders run no rules: only their own 404.
    expect(routes['TaperOrdersController.get']).toEqual(['NOT_FOUND']);
    expect(routes['TaperOrdersController.list']).toEqual(['NOT_FOUND', 'VALIDATION_FAILED']);
  });
});
