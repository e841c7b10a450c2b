import { maybeOne, one, rows, SqlRunner } from './sql';

function runner(answer: unknown[]): SqlRunner & { calls: Array<[string, unknown[] | undefined]> } {
  const calls: Array<[string, unknown[] | undefined]> = [];
  return { calls, query: (sql: string, params?: unknown[]) => (calls.push([sql, params]), Promise.resolve(answer)) };
}

describe('typed statements', () => {
  it('passes the statement and its parameters through unchanged, once', async () => {
    const db = runner([{ id: 'a' }, { id: 'b' }]);
    expect(await rows<{ id: string }>(db, 'SELECT id FROM t WHERE x = $1', [1])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(db.calls).toEqual([['SELECT id FROM t WHERE x = $1', [1]]]);
  });

  it('leaves out parameters the caller did not give (a statement without any runs as written)', async () => {
    const db = runner([]);
    await rows(db, 'SELECT 1');
    expect(db.calls).toEqual([['SELECT 1', undefined]]);
  });

  it('answers the first row or null', async () => {
    expect(await maybeOne<{ id: string }>(runner([{ id: 'a' }, { id: 'b' }]), 'SELECT')).toEqual({ id: 'a' });
    expect(await maybeOne(runner([]), 'SELECT')).toBeNull();
  });

  it('refuses a missing row where one is always expected', async () => {
    expect(await one<{ n: number }>(runner([{ n: 3 }]), 'SELECT')).toEqual({ n: 3 });
    await expect(one(runner([]), 'SELECT')).rejects.toThrow('answered no row');
  });
});
