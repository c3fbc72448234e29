import { describe, expect, it } from '@jest/globals';
import { passwordProblem } from './password.js';

const COMMON = 'is one of the most common passwords; choose another';
const EMAIL = 'must not contain the account’s email or the part of it before the @';
const REPEATED = 'must not be one character, or a few, repeated';
const SEQUENCE = 'must not be a simple sequence (1234…, abcd…, qwerty…, forwards or backwards)';
const PADDED = 'is a common password with digits or a repeated character added; choose another';

describe('passwordProblem: what a 12-character minimum alone lets through', () => {
  it.each([
    // The review's examples.
    ['password1234', PADDED],
    ['123456789012', SEQUENCE],
    ['aaaaaaaaaaaa', REPEATED],
    // Blank and the list itself.
    ['            ', 'must not be blank or only white space'],
    ['1qaz2wsx3edc', COMMON],
    ['  1QAZ2WSX3EDC ', COMMON],
    // One character, or a few, repeated.
    ['111111111111', REPEATED],
    ['abcabcabcabc', REPEATED],
    ['passwordpassword', REPEATED],
    ['Ab1!Ab1!Ab1!', REPEATED],
    ['ababababababa', REPEATED],
    ['abcabcabcabd', REPEATED],
    ['abcdeabcde12', REPEATED],
    // Sequences, both ways, round the end of the digits and the alphabet, and along the keyboard.
    ['210987654321', SEQUENCE],
    ['abcdefghijklm', SEQUENCE],
    ['xyzabcdefghi', SEQUENCE],
    ['ZYXWVUTSRQPO', SEQUENCE],
    ['qwertyuiopas', SEQUENCE],
    ['lkjhgfdsapoi', SEQUENCE],
    ['!@#$%^&*()_+', SEQUENCE],
    ['=-0987654321', SEQUENCE],
    // A repeat or a run of 6 or more with padding before or after it.
    ['00000000000a', REPEATED],
    ['adminadmin12', REPEATED],
    ['zxcvbnm,./12', SEQUENCE],
    ['123456789013', SEQUENCE],
    ['abcdefghijkl-', SEQUENCE],
    ['lmnopq!!!!!!', SEQUENCE],
    // A common password padded with digits or one repeated character, before or after.
    ['Password2024', PADDED],
    ['2024password', PADDED],
    ['monkey!!!!!!', PADDED],
    ['!!!!!!monkey', PADDED],
    ['12dragon3456', PADDED],
    ['sunshine!!11', PADDED],
    ['zzzzzzletmein', PADDED],
    ['password1234x', PADDED],
    ['mypassword1234', PADDED],
  ])('refuses %j', (password, reason) => {
    expect(passwordProblem(password)).toBe(reason);
  });

  it.each([
    // Just past each rule.
    ['12345x789013', 'runs of digits shorter than 6, a letter between them'],
    ['lmnop!!!!!!!', 'a run of 5 padded'],
    ['abcdeabcd123', 'a repeat short of a second whole time, padded'],
    ['abcabcabcxyz', 'a repeat with more than padding after it'],
    ['Tr0ub4dor&3xTr0ub4dor&3x', 'a repetition of something already 12 characters long'],
    ['password-plan-1234', 'a common password with more than padding after it'],
    ['bluepassword1234', 'a common password with letters before it'],
    ['pazzword1234', 'not quite a common password'],
    ['839201746552', 'digits alone, though common years and PINs are among them'],
    ['correct horse battery staple', 'a passphrase'],
    ['Vq8#mLr2!xTe', 'a random one'],
  ])('accepts %j (%s)', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  describe('the account’s own email', () => {
    const owner = { email: 'R5LongName@Clinic.test' };

    it.each([
      ['r5longname@clinic.test', 'the email itself'],
      ['R5LONGNAME@CLINIC.TEST', 'in another case'],
      ['my-r5longname-2027', 'the part before the @ inside it'],
    ])('refuses %j (%s)', (password) => {
      expect(passwordProblem(password, owner)).toBe(EMAIL);
    });

    it('accepts a password that only shares a few letters with it, or contains the domain', () => {
      expect(passwordProblem('r5longnam-clinic.test', owner)).toBeNull();
      expect(passwordProblem('first-admin-password', { email: 'first.admin@clinic.test' })).toBeNull();
    });

    it('looks for a local part from 3 characters: shorter ones are not a guess', () => {
      expect(passwordProblem('bob-the-builder-77', { email: 'bob@clinic.test' })).toBe(EMAIL);
      expect(passwordProblem('jolly-jumper-lake', { email: 'jo@clinic.test' })).toBeNull();
    });

    it('is only checked when the email is known', () => {
      expect(passwordProblem('my-r5longname-2027')).toBeNull();
    });
  });
});
