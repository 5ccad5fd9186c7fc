import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { readFileSync } from 'node:fs';
import { eventually, listDiary, startTestCluster, TestCluster, upsertAssociate } from './cluster.harness';
import { MARGE_INVITES_HOMER } from './example-mail';

// The project's own Outlook-style invitation (examples/mail): Marge invites Homer; Windows
// time zone "W. Europe Standard Time" (Berlin); 2026-03-12 10:00-11:00 local (UTC+1) = 09:00-10:00 UTC.
const outlookInvite = (): Buffer => readFileSync(MARGE_INVITES_HOMER.file);

describe('one invitation travelling end to end', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster(['example.org']);
  }, 90_000);

  let stopped = false;
  afterAll(async () => {
    if (!stopped) await t?.stop();
  }, 60_000);

  test('When an Outlook-style invitation is sent by SMTP to a known associate, then a tentative appointment appears in the diary', async () => {
    // Arrange
    const homer = await upsertAssociate(t.identity, { name: 'Homer Simpson', primaryAddress: 'homer@example.org', timeZone: 'Europe/Helsinki' });
    expect(homer.outcome).toBe('CREATED');
    // Act
    const sent = await t.sendMail(outlookInvite(), { from: 'marge@example.com', to: ['homer@example.org'] });
    expect(sent.response).toMatch(/^250 /);
    // Assert
    const diary = await eventually('the appointment in Homer\'s diary', 10_000, async () => {
      const res = await listDiary(t.appointment(), 'homer@example.org');
      return res.entries.length > 0 ? res : undefined;
    });
    expect(diary.associateId).toBe(homer.associate!.id);
    const [a] = diary.entries;
    expect(a).toMatchObject({
      status: appointmentV1.DiaryStatus.DIARY_STATUS_TENTATIVE,
      sequence: 0,
      timeZone: expect.stringMatching(/W\. Europe Standard Time|Europe\/Berlin/),
      allDay: false,
    });
    expect(a!.uid).toBe(MARGE_INVITES_HOMER.uid);
    expect(a!.start?.toISOString()).toBe(MARGE_INVITES_HOMER.start);
    expect(a!.end?.toISOString()).toBe(MARGE_INVITES_HOMER.end);
    expect(a!.organizer?.address).toBe('marge@example.com');
    // The whole copy: who was invited, and the DTSTAMP it was ordered by.
    const meeting = await callUnary<appointmentV1.GetMeetingResponse>((md, o, cb) => t.appointment().getMeeting({ uid: a!.uid, owner: 'homer@example.org' }, md, o, cb), 5000);
    expect(meeting.copies[0]!.master!.attendees.map((p) => p.address)).toContain('homer@example.org');
    expect(meeting.copies[0]!.master!.version!.dtstamp).toBeInstanceOf(Date);
  }, 30_000);

  test('When mail is for a domain we do not serve, then SMTP refuses the recipient with a 5xx', async () => {
    const attempt = t.sendMail(outlookInvite(), { from: 'marge@example.com', to: ['someone@elsewhere.test'] });
    await expect(attempt).rejects.toMatchObject({ responseCode: 550 });
  });

  test('When each service is asked, then /healthz, /readyz and /metrics answer on loopback', async () => {
    for (const [service, addr] of Object.entries(t.cluster.endpoints.health)) {
      expect(addr).toMatch(/^127\.0\.0\.1:\d+$/);
      expect((await fetch(`http://${addr}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://${addr}/readyz`);
      expect({ service, status: ready.status }).toEqual({ service, status: 200 });
      const metrics = await (await fetch(`http://${addr}/metrics`)).text();
      expect(metrics).toContain(`service="${service}"`);
      expect(metrics).toMatch(/process_resident_memory_bytes/);
    }
  });

  test('When the cluster is stopped with SIGTERM, then every service finishes and exits 0 within its bound', async () => {
    // A service that overruns SHUTDOWN_TIMEOUT_MS exits 1, so exit 0 says each stayed in bound.
    const codes = await t.stop();
    stopped = true;
    expect(codes).toEqual({ ingest: 0, 'outbound-mail': 0, parser: 0, appointment: 0, identity: 0 });
  }, 30_000);
});
