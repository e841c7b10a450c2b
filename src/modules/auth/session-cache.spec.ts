import fc from 'fast-check';
import { Role } from '../../common/auth/role.enum';
import { SessionCache } from './session-cache';

const user = (id: string, sessionId: string) => ({ id, sessionId, role: Role.Facilitator, agencyId: 'a', email: `${id}@x.test`, name: id });

describe('SessionCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('serves nothing until the channel is open, and nothing once it is closed', () => {
    const cache = new SessionCache(5_000, clock);
    cache.put('k', user('u1', 's1'), cache.checkpoint(), 60_000);
    expect(cache.get('k')).toBeNull();
    cache.open();
    cache.put('k', user('u1', 's1'), cache.checkpoint(), 60_000);
    expect(cache.get('k')).toMatchObject({ id: 'u1', sessionId: 's1' });
    cache.close();
    expect(cache.get('k')).toBeNull();
    cache.open();
    // Reopened empty: what was cached before the channel went down may have missed a revocation.
    expect(cache.get('k')).toBeNull();
  });

  it("keeps an entry for its age at most, and never past the session's own validity", () => {
    const cache = new SessionCache(5_000, clock);
    cache.open();
    cache.put('long', user('u1', 's1'), cache.checkpoint(), 60_000);
    cache.put('short', user('u2', 's2'), cache.checkpoint(), 1_000);
    now += 999;
    expect(cache.get('short')).not.toBeNull();
    now += 1;
    expect(cache.get('short')).toBeNull();
    now += 3_999;
    expect(cache.get('long')).not.toBeNull();
    now += 1;
    expect(cache.get('long')).toBeNull();
  });

  it('a revocation heard while a check was under way keeps that check out of the cache', () => {
    const cache = new SessionCache(5_000, clock);
    cache.open();
    const checkpoint = cache.checkpoint();
    cache.revoke({ sessionId: 's1' });
    cache.put('k', user('u1', 's1'), checkpoint, 60_000);
    expect(cache.get('k')).toBeNull();
  });

  it('ends one session, or every session of a user', () => {
    const cache = new SessionCache(5_000, clock);
    cache.open();
    for (const [key, u, s] of [
      ['a', 'u1', 's1'],
      ['b', 'u1', 's2'],
      ['c', 'u2', 's3'],
    ])
      cache.put(key, user(u, s), cache.checkpoint(), 60_000);
    cache.revoke({ sessionId: 's1' });
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([false, true, true]);
    cache.revoke({ userId: 'u1' });
    expect([cache.get('b'), cache.get('c')].map(Boolean)).toEqual([false, true]);
  });

  it('is off with an age of 0', () => {
    const cache = new SessionCache(0, clock);
    cache.open();
    cache.put('k', user('u1', 's1'), cache.checkpoint(), 60_000);
    expect(cache.get('k')).toBeNull();
  });

  it("never serves a session after its revocation or the channel's loss, whatever the order of events (against a model)", () => {
    type Step =
      | { op: 'check'; key: number; user: number; session: number; validFor: number; revokedMidway: boolean }
      | { op: 'revokeSession'; session: number }
      | { op: 'revokeUser'; user: number }
      | { op: 'close' }
      | { op: 'open' }
      | { op: 'tick'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        op: fc.constant('check' as const),
        key: fc.nat(5),
        user: fc.nat(2),
        session: fc.nat(5),
        validFor: fc.integer({ min: 0, max: 8_000 }),
        revokedMidway: fc.boolean(),
      }),
      fc.record({ op: fc.constant('revokeSession' as const), session: fc.nat(5) }),
      fc.record({ op: fc.constant('revokeUser' as const), user: fc.nat(2) }),
      fc.constant({ op: 'close' as const }),
      fc.constant({ op: 'open' as const }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        now = 0;
        const cache = new SessionCache(5_000, clock);
        // The model: when each key was last checked, and whether anything since forbids serving it.
        const model = new Map<number, { user: number; session: number; until: number; dead: boolean }>();
        let live = false;
        for (const s of steps) {
          if (s.op === 'check') {
            const checkpoint = cache.checkpoint();
            if (s.revokedMidway) {
              cache.revoke({ sessionId: `s${s.session}` });
              for (const entry of model.values()) if (entry.session === s.session) entry.dead = true;
            }
            cache.put(`k${s.key}`, user(`u${s.user}`, `s${s.session}`), checkpoint, s.validFor);
            model.set(s.key, {
              user: s.user,
              session: s.session,
              until: now + Math.min(5_000, s.validFor),
              dead: !live || s.revokedMidway || s.validFor === 0,
            });
          } else if (s.op === 'revokeSession') {
            cache.revoke({ sessionId: `s${s.session}` });
            for (const entry of model.values()) if (entry.session === s.session) entry.dead = true;
          } else if (s.op === 'revokeUser') {
            cache.revoke({ userId: `u${s.user}` });
            for (const entry of model.values()) if (entry.user === s.user) entry.dead = true;
          } else if (s.op === 'close' || s.op === 'open') {
            if (s.op === 'close') cache.close();
            else cache.open();
            live = s.op === 'open';
            for (const entry of model.values()) entry.dead = true;
          } else now += s.ms;
          for (let key = 0; key <= 5; key++) {
            const entry = model.get(key);
            const mayServe = live && entry !== undefined && !entry.dead && now < entry.until;
            const served = cache.get(`k${key}`);
            if (served && !mayServe) return false;
            if (mayServe && (!served || served.sessionId !== `s${entry.session}`)) return false;
          }
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
