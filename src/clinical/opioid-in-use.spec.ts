import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { opioidInUse, stoppedProducts, tapersOn, type TaperInForce } from './opioid-in-use.js';

const taper = (drug: string, dailyDoseToday: number | null): TaperInForce => ({ drug, dailyDoseToday });

describe('opioidInUse', () => {
  it('is true for an intake opioid with no signed taper yet (still on the intake dose)', () => {
    expect(opioidInUse(['oxycodone'], [])).toBe(true);
  });

  it('is true for buprenorphine with no signed taper', () => {
    expect(opioidInUse(['buprenorphine'], [])).toBe(true);
  });

  it('is true while a signed taper has a dose above zero today, or has not started', () => {
    expect(opioidInUse(['oxycodone'], [taper('oxycodone', 2.5)])).toBe(true);
    expect(opioidInUse(['oxycodone'], [taper('oxycodone', null)])).toBe(true);
  });

  it('is false once every intake opioid has been tapered to zero', () => {
    expect(opioidInUse(['oxycodone', 'morphine'], [taper('oxycodone', 0), taper('morphine', 0)])).toBe(false);
  });

  it('is true when one opioid is at zero but another is untapered or still being tapered', () => {
    expect(opioidInUse(['oxycodone', 'fentanyl'], [taper('oxycodone', 0)])).toBe(true);
    expect(opioidInUse(['oxycodone', 'fentanyl'], [taper('oxycodone', 0), taper('fentanyl', 12.5)])).toBe(true);
  });

  it('is false with no opioid at intake and no taper', () => {
    expect(opioidInUse([], [])).toBe(false);
  });

  const drug = fc.constantFrom('oxycodone', 'morphine', 'fentanyl', 'hydromorphone', 'buprenorphine');
  const tapers = fc.uniqueArray(fc.record({ drug, dailyDoseToday: fc.option(fc.constantFrom(0, 0.5, 5, 60)) }), { selector: (t) => t.drug });

  it('a taper in force with a dose above zero today always means an opioid in use (property)', () => {
    fc.assert(
      fc.property(fc.array(drug), tapers, fc.constantFrom(null, 0.5, 30), (intake, others, dose) => {
        expect(opioidInUse(intake, [...others, { drug: 'methadone', dailyDoseToday: dose }])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('an intake opioid without a signed taper always means an opioid in use (property)', () => {
    fc.assert(
      fc.property(fc.array(drug), tapers, drug, (intake, inForce, untapered) => {
        const withoutIt = inForce.filter((t) => t.drug !== untapered);
        expect(opioidInUse([...intake, untapered], withoutIt)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('every taper at zero and covering every intake opioid means none in use (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(drug, { minLength: 1 }), (intake) => {
        expect(opioidInUse(intake, intake.map((d) => ({ drug: d, dailyDoseToday: 0 })))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('opioidInUse per product (v1.1: one order per drug + formulation)', () => {
  const er = { drug: 'oxycodone', formulation: 'ER' as const };
  const ir = { drug: 'oxycodone', formulation: 'IR' as const };

  it('oxycodone ER tapered to zero leaves oxycodone IR in use', () => {
    expect(opioidInUse([er, ir], [{ drug: 'oxycodone', formulation: 'ER', dailyDoseToday: 0 }])).toBe(true);
    expect(opioidInUse([er, ir], [{ drug: 'oxycodone', formulation: 'ER', dailyDoseToday: 0 }, { drug: 'Oxycodone', formulation: 'IR', dailyDoseToday: 0 }])).toBe(false);
  });

  it('a rotation at zero covers the product it replaced', () => {
    const rotation = { drug: 'morphine', formulation: 'ER' as const, replaces: ir, dailyDoseToday: 0 };
    expect(opioidInUse([ir], [rotation])).toBe(false);
    expect(opioidInUse([ir, er], [rotation])).toBe(true);
  });

  it('a cross-taper rotation at zero leaves the product it was given beside in use', () => {
    const rotation = { drug: 'morphine', formulation: 'ER' as const, replaces: ir, crossTaper: true, dailyDoseToday: 0 };
    expect(opioidInUse([ir], [rotation])).toBe(true);
    expect(opioidInUse([ir], [rotation, { ...ir, dailyDoseToday: 0 }])).toBe(false);
  });

  it('a taper without a formulation still covers the whole drug, as before', () => {
    expect(opioidInUse([er, ir], [{ drug: 'oxycodone', dailyDoseToday: 0 }])).toBe(false);
  });
});

describe('tapersOn and stoppedProducts', () => {
  const er = { drug: 'oxycodone', formulation: 'ER' as const };
  const ir = { drug: 'oxycodone', formulation: 'IR' as const };
  const step = (n: number, startsOn: string, dailyDose: number) => ({ step: n, startsOn, dailyDose, dailyMme: dailyDose * 1.5, reductionPercent: 0, percentOfStart: 0 });
  const erTaper = { ...er, replaces: ir, pauses: [], steps: [step(1, '2027-01-04', 40), step(2, '2027-01-11', 20), step(3, '2027-01-18', 0)] };

  it('gives each active taper its dose of the day: none before its start, 0 after its stop', () => {
    expect(tapersOn([erTaper], '2027-01-03')).toEqual([{ ...er, replaces: ir, crossTaper: false, dailyDoseToday: null }]);
    expect(tapersOn([erTaper], '2027-01-12')).toEqual([{ ...er, replaces: ir, crossTaper: false, dailyDoseToday: 20 }]);
    expect(tapersOn([erTaper], '2027-02-01')).toEqual([{ ...er, replaces: ir, crossTaper: false, dailyDoseToday: 0 }]);
  });

  it('a product stops when its taper reaches zero, and a rotated-away product once the rotation has begun', () => {
    expect(stoppedProducts(tapersOn([erTaper], '2027-01-03'))).toEqual([]);
    expect(stoppedProducts(tapersOn([erTaper], '2027-01-12'))).toEqual([ir]);
    expect(stoppedProducts(tapersOn([erTaper], '2027-02-01'))).toEqual([er, ir]);
  });

  it('a product a cross-taper is given beside is stopped exactly when its own taper is at zero, whatever the rotation gives (property)', () => {
    const dose = fc.option(fc.constantFrom(0, 2.5, 20), { nil: null });
    fc.assert(
      fc.property(dose, dose, fc.boolean(), (rotationDose, ownDose, ownTaper) => {
        const rotation: TaperInForce = { drug: 'morphine', formulation: 'ER', replaces: ir, crossTaper: true, dailyDoseToday: rotationDose };
        const own: TaperInForce[] = ownTaper ? [{ ...ir, dailyDoseToday: ownDose }] : [];
        const stopped = stoppedProducts([rotation, ...own]).some((p) => p.drug === ir.drug && p.formulation === ir.formulation);
        expect(stopped).toBe(ownTaper && ownDose === 0);
        // Without its own taper it is still taken at the intake dose, so an opioid is in use.
        if (!ownTaper) expect(opioidInUse([ir], [rotation])).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a cross-taper does not stop the product it is given beside: that product stops when its own taper does', () => {
    const crossTaper = { ...erTaper, crossTaper: true };
    expect(stoppedProducts(tapersOn([crossTaper], '2027-01-12'))).toEqual([]);
    expect(stoppedProducts(tapersOn([crossTaper], '2027-02-01'))).toEqual([er]);
  });
});
