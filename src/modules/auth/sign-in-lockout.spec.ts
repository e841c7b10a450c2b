import { LOCK_MINUTES, MAX_FAILED_SIGN_INS, SignInLockout } from './sign-in-lockout';

/** With Redis unreachable, each process still locks on its own (the same rules, in memory). */
describe('SignInLockout without Redis', () => {
  let lockout: SignInLockout;
  beforeAll(() => {
    lockout = new SignInLockout('redis://127.0.0.1:1/0', 'spec', 'a-secret-of-at-least-thirty-two-characters');
  });
  afterAll(() => lockout.onModuleDestroy());

  it('locks the fifth failure of one client for 10 minutes, not another client, and unlocks on request', async () => {
    for (let attempt = 1; attempt < MAX_FAILED_SIGN_INS; attempt++)
      expect(await lockout.recordFailure('Him@Example.org', '10.0.0.1')).toBeNull();
    const until = await lockout.recordFailure('him@example.org', '10.0.0.1');
    expect(until!.getTime() - Date.now()).toBeGreaterThan(LOCK_MINUTES * 60_000 - 5_000);
    expect(await lockout.lockedUntil('him@example.org', '10.0.0.1')).toEqual(until);
    // Trying on while locked does not move the end.
    expect(await lockout.recordFailure('him@example.org', '10.0.0.1')).toEqual(until);
    expect(await lockout.lockedUntil('him@example.org', '10.0.0.2')).toBeNull();
    await lockout.unlock('him@example.org');
    expect(await lockout.lockedUntil('him@example.org', '10.0.0.1')).toBeNull();
  });

  it('starts a client’s count again after a right password', async () => {
    for (let attempt = 1; attempt < MAX_FAILED_SIGN_INS; attempt++) await lockout.recordFailure('other@example.org', '10.0.0.3');
    await lockout.recordSuccess('other@example.org', '10.0.0.3');
    expect(await lockout.recordFailure('other@example.org', '10.0.0.3')).toBeNull();
  });
});
