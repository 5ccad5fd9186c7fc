// reports/load.html: the load report as one self-contained page (Chart.js inlined from
// node_modules, the figures inlined as JSON), so it opens offline and can be attached as is.
import { readFileSync } from 'node:fs';
import type { LoadReport } from './load.report';

const esc = (s: unknown): string => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function loadHtml(report: LoadReport, chartJsFile: string): string {
  const chartJs = readFileSync(chartJsFile, 'utf8').replace(/<\/script/gi, '<\\/script');
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>inviteflow load report ${esc(report.when)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}.pass{color:#176b2c;font-weight:600}.miss{color:#a4161a;font-weight:600}
.chart{position:relative;height:300px;margin-bottom:2em}code{font-size:12px}
</style></head><body>
<h1>inviteflow load report</h1>
<p>${esc(report.when)} — cluster: ${esc(report.cluster.kind)} (SMTP ${esc(report.cluster.smtp)}, MongoDB ${esc(report.cluster.backend)});
machine: ${report.machine.cores} cores (${esc(report.machine.model)}), load average at start ${report.machine.loadavgAtStart.join(' / ')}, at end ${report.machine.loadavgAtEnd.join(' / ')}. ${esc(report.machine.note)}</p>
<p>Stored meetings: ${report.storedMeetings.atStart} at start (${report.storedMeetings.preloaded} preloaded), ${report.storedMeetings.atEnd} at the end.
Invitations: ${report.invitations.attachment ? `1 in ${report.invitations.attachment.every} with a ${report.invitations.attachment.kb} KiB file attached, the others plain` : 'plain (no file attached)'}.
Every accepted invitation applied: <b class="${report.ok.zeroLoss ? 'pass' : 'miss'}">${report.ok.zeroLoss ? 'yes' : 'NO'}</b>.</p>
<h2>Targets</h2>
<table><tr><th>target</th><th>wanted</th><th>measured</th><th></th></tr>
${report.targets.map((t) => `<tr><td>${esc(t.name)}</td><td>${esc(t.target)}</td><td>${t.measured ?? '—'} ${esc(t.unit)}</td><td class="${t.pass ? 'pass' : 'miss'}">${t.pass ? 'pass' : 'miss'}</td></tr>`).join('\n')}
</table>
<h2>Phases</h2>
<table><tr><th>phase</th><th>sent</th><th>accepted</th><th>applied</th><th>lost</th><th>accepted/s</th><th>applied/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>CPU ms/inv (5 services)</th><th>CPU ms/inv (all processes)</th></tr>
${report.phases.map((p) => `<tr><td>${esc(p.name)}</td><td>${p.invitations.sent}</td><td>${p.invitations.accepted}</td><td>${p.invitations.applied}</td><td>${p.invitations.lost}</td><td>${p.acceptedPerSecond}</td><td>${p.appliedPerSecond}</td><td>${p.latencyMs.p50}</td><td>${p.latencyMs.p90}</td><td>${p.latencyMs.p99}</td><td>${p.latencyMs.max}</td><td>${p.cpuMsPerInvitation.fiveServices}</td><td>${p.cpuMsPerInvitation.allProcesses}</td></tr>`).join('\n')}
</table>
${hopsHtml(report)}
<div id="throughput"></div>
<h2>SMTP 250 → diary latency</h2><div class="chart"><canvas id="latency"></canvas></div>
<h2>CPU milliseconds per invitation</h2><div class="chart"><canvas id="cpu"></canvas></div>
<h2>Resident memory (peak during the phase)</h2><div class="chart"><canvas id="memory"></canvas></div>
${report.profile ? profileHtml(report.profile) : ''}
<script>${chartJs}</script>
<script>
const report = ${data};
const colours = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f'];
const phases = report.phases.map(p => p.name);
for (const [i, p] of report.phases.entries()) {
  const box = document.createElement('div');
  box.innerHTML = '<h3>' + p.name + ': invitations per second</h3><div class="chart"><canvas id="tp' + i + '"></canvas></div>';
  document.getElementById('throughput').appendChild(box);
  const n = Math.max(p.series.acceptedPerSecond.length, p.series.appliedPerSecond.length);
  new Chart(document.getElementById('tp' + i), { type: 'line', options: { maintainAspectRatio: false, scales: { x: { title: { display: true, text: 's since phase start' } } } },
    data: { labels: Array.from({ length: n }, (_, s) => s), datasets: [
      { label: 'accepted (SMTP 250)', data: p.series.acceptedPerSecond, borderColor: colours[0] },
      { label: 'applied (appointment.scheduled.v1)', data: p.series.appliedPerSecond, borderColor: colours[2] } ] } });
}
new Chart(document.getElementById('latency'), { type: 'bar', options: { maintainAspectRatio: false, scales: { y: { type: 'logarithmic', title: { display: true, text: 'ms' } } } },
  data: { labels: phases, datasets: ['p50','p90','p99','max'].map((k, i) => ({ label: k, data: report.phases.map(p => p.latencyMs[k]), backgroundColor: colours[i] })) } });
const procs = [...new Set(report.phases.flatMap(p => Object.keys(p.cpuMsPerInvitation)))].filter(k => k !== 'fiveServices' && k !== 'allProcesses');
new Chart(document.getElementById('cpu'), { type: 'bar', options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'ms per invitation' } } } },
  data: { labels: phases, datasets: procs.map((k, i) => ({ label: k, data: report.phases.map(p => p.cpuMsPerInvitation[k] ?? 0), backgroundColor: colours[i % colours.length] })) } });
const mem = [...new Set(report.phases.flatMap(p => Object.keys(p.memoryMiB)))];
new Chart(document.getElementById('memory'), { type: 'bar', options: { maintainAspectRatio: false, scales: { y: { title: { display: true, text: 'MiB' } } } },
  data: { labels: mem, datasets: report.phases.map((p, i) => ({ label: p.name, data: mem.map(k => p.memoryMiB[k]?.peakRss ?? 0), backgroundColor: colours[i % colours.length] })) } });
</script>
</body></html>
`;
}

/** Per phase: how busy the machine was (and how much the hypervisor took), and each process's wake-ups and socket calls per invitation. */
function hopsHtml(report: LoadReport): string {
  const procs = [...new Set(report.phases.flatMap((p) => Object.keys(p.contextSwitchesPerInvitation)))].filter((k) => k !== 'allProcesses');
  const cell = (p: LoadReport['phases'][number], k: string): string => {
    const io = p.syscallsPerInvitation[k];
    return `<td>${p.contextSwitchesPerInvitation[k] ?? '—'}</td><td>${io ? `${io.reads} / ${io.writes}` : '—'}</td>`;
  };
  return `<h2>Machine and hops</h2>
<p>Busy: the share of all cores' time in use over the phase; steal: the share the hypervisor gave to other guests (counted in no process's CPU). Per invitation: context switches (each wake-up of a process, all its threads) and read / write system calls (each socket message taken or sent, unless batched).</p>
<table><tr><th>phase</th><th>busy %</th><th>steal %</th></tr>
${report.phases.map((p) => `<tr><td>${esc(p.name)}</td><td>${p.machine?.busyPercent ?? '—'}</td><td>${p.machine?.stealPercent ?? '—'}</td></tr>`).join('\n')}
</table>
<table><tr><th>process</th>${report.phases.map((p) => `<th colspan="2">${esc(p.name)}: switches, reads / writes</th>`).join('')}</tr>
${procs.map((k) => `<tr><td>${esc(k)}</td>${report.phases.map((p) => cell(p, k)).join('')}</tr>`).join('\n')}
</table>`;
}

function profileHtml(profile: NonNullable<LoadReport['profile']>): string {
  const tables = profile.services.map((s) => `<h3>${esc(s.service)} (${s.sampledMs} ms sampled)</h3>
<table><tr><th>function</th><th>where</th><th>self ms</th><th>%</th></tr>
${s.top.map((f) => `<tr><td><code>${esc(f.function)}</code></td><td><code>${esc(f.where)}</code></td><td>${f.selfMs}</td><td>${f.percent}</td></tr>`).join('\n')}</table>`);
  return `<h2>CPU profile (${esc(profile.phase)})</h2><p>${esc(profile.why)}</p>${tables.join('\n')}`;
}
