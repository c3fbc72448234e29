import { describe, expect, it } from '@jest/globals';
import { screenHyperalgesia } from './hyperalgesia.js';

describe('screenHyperalgesia', () => {
  it('suspects nothing when pain neither spreads nor worsens between doses', () => {
    expect(screenHyperalgesia({ spreadBeyondOriginalSite: false, worseBetweenDoses: false })).toEqual({ suspected: false, signs: [] });
  });

  it('suspects hyperalgesia when pain spreads beyond the original site', () => {
    const screen = screenHyperalgesia({ spreadBeyondOriginalSite: true, worseBetweenDoses: false });
    expect(screen.suspected).toBe(true);
    expect(screen.signs.map((s) => s.code)).toEqual(['OIH_PAIN_SPREAD']);
  });

  it('suspects hyperalgesia when pain gets worse between doses, naming withdrawal as the other explanation', () => {
    const screen = screenHyperalgesia({ spreadBeyondOriginalSite: false, worseBetweenDoses: true });
    expect(screen.suspected).toBe(true);
    expect(screen.signs).toEqual([{ code: 'OIH_WORSE_BETWEEN_DOSES', message: expect.stringContaining('end-of-dose withdrawal') }]);
  });

  it('lists both signs when both are present, each worded as a finding, not a diagnosis', () => {
    const screen = screenHyperalgesia({ spreadBeyondOriginalSite: true, worseBetweenDoses: true });
    expect(screen.signs.map((s) => s.code)).toEqual(['OIH_PAIN_SPREAD', 'OIH_WORSE_BETWEEN_DOSES']);
    for (const sign of screen.signs) {
      expect(sign.message).toMatch(/possible sign of opioid-induced hyperalgesia to look into, not a diagnosis/);
      expect(sign.message).not.toMatch(/addict/i);
    }
  });

  it.each([
    ['diffuse', { diffuse: true }, 'OIH_DIFFUSE_PAIN', /Pain is diffuse/],
    ['worse after a dose increase', { worseAfterDoseIncrease: true }, 'OIH_WORSE_AFTER_DOSE_INCREASE', /worse after the opioid dose was increased/],
  ])('suspects hyperalgesia when pain is %s', (_, answer, code, words) => {
    const screen = screenHyperalgesia({ spreadBeyondOriginalSite: false, worseBetweenDoses: false, ...answer });
    expect(screen.suspected).toBe(true);
    expect(screen.signs).toEqual([{ code, message: expect.stringMatching(words) }]);
    expect(screen.signs[0]!.message).toMatch(/not a diagnosis/);
  });

  it('treats the two optional answers as not seen when absent or false', () => {
    expect(screenHyperalgesia({ spreadBeyondOriginalSite: false, worseBetweenDoses: false, diffuse: false, worseAfterDoseIncrease: false }).suspected).toBe(false);
  });

  it('lists all four signs in a fixed order', () => {
    const screen = screenHyperalgesia({ spreadBeyondOriginalSite: true, worseBetweenDoses: true, diffuse: true, worseAfterDoseIncrease: true });
    expect(screen.signs.map((s) => s.code)).toEqual(['OIH_PAIN_SPREAD', 'OIH_WORSE_BETWEEN_DOSES', 'OIH_DIFFUSE_PAIN', 'OIH_WORSE_AFTER_DOSE_INCREASE']);
  });
});
