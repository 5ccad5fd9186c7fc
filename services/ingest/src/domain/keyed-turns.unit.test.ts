import { KeyedTurns } from './keyed-turns';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('KeyedTurns', () => {
  test('Given two tasks of one key, when the first is still running, then the second starts only after it ended', async () => {
    const turns = new KeyedTurns();
    const order: string[] = [];
    const first = gate();

    const a = turns.run('k', async () => (order.push('a start'), await first.opened, order.push('a end')));
    const b = turns.run('k', async () => void order.push('b start'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a start']);
    first.open();
    await Promise.all([a, b]);

    expect(order).toEqual(['a start', 'a end', 'b start']);
    expect(turns.size()).toBe(0);
  });

  test('Given a task that fails, when the next of its key waits, then that one still runs and the failure stays with the first', async () => {
    const turns = new KeyedTurns();

    const [a, b] = await Promise.allSettled([turns.run('k', async () => { throw new Error('publish failed'); }), turns.run('k', async () => 'announced')]);

    expect(a).toMatchObject({ status: 'rejected', reason: new Error('publish failed') });
    expect(b).toEqual({ status: 'fulfilled', value: 'announced' });
    expect(turns.size()).toBe(0);
  });

  test('Given tasks of different keys, when one is running, then the other runs beside it', async () => {
    const turns = new KeyedTurns();
    const first = gate();
    let otherRan = false;

    const a = turns.run('k1', async () => first.opened);
    await turns.run('k2', async () => void (otherRan = true));
    first.open();
    await a;

    expect(otherRan).toBe(true);
  });
});
