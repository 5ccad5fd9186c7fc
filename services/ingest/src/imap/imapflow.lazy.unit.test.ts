// Issue 14 (each service within 150 MiB): ingest with a database loads its mailbox intake at
// start, but imapflow only with the first mailbox session (the mailbox tests cover sessions).
describe('mailbox intake and imapflow', () => {
  test('When the mailbox intake modules are loaded, then imapflow is not', async () => {
    let loaded = false;
    jest.doMock('imapflow', () => {
      loaded = true;
      return { ImapFlow: class {} };
    });

    await jest.isolateModulesAsync(async () => {
      await import('./mailbox.wiring');
    });

    expect(loaded).toBe(false);
  });
});
