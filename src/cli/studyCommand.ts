import { Command } from 'commander';
import { analyseJobId } from '../pipeline/instanceIntake';
import { reportJobIds } from '../pipeline/reportScheduler';
import { exportJobId } from '../pipeline/exportScheduler';
import type { OperatorSession } from './operatorSession';
import { withOperatorSession } from './operatorSession';
import { uidArgument } from './argumentParsers';

/** Everything the node knows about one study: phase, images and their analysis, objects, exports, storage commitments, jobs. */
export async function describeStudy(s: OperatorSession, studyUid: string): Promise<Record<string, unknown>> {
  const summary = await s.state.summary(studyUid);
  if (!summary)
    throw new Error(
      `study ${studyUid} is not known to this node: no image of it was queued for analysis (objects acknowledged ` +
        'without analysis, by SOP class, Image Type or as quality control images, are not tracked: the receiver logs each as `instance received`)',
    );
  const findings = await s.state.findings(studyUid);
  const instances = await s.state.instances(studyUid);
  const jobState = async (name: 'instance.analyse' | 'study.report' | 'export.store', id: string) => {
    const job = await s.queue.getJob(name, id);
    if (!job) return undefined;
    return { id, state: await job.getState(), attemptsMade: job.attemptsMade, failedReason: job.failedReason || undefined };
  };
  const exports = await s.state.exports(studyUid);
  return {
    study: {
      ...summary,
      firstImageAt: new Date(summary.firstImageAt).toISOString(),
      lastImageAt: new Date(summary.lastImageAt).toISOString(),
      reportedAt: summary.reportedAt ? new Date(summary.reportedAt).toISOString() : undefined,
      rejectedImages: await s.state.rejectedCount(studyUid),
    },
    images: await Promise.all(
      instances.map(async (i) => {
        const f = findings.get(i.sopInstanceUid);
        return {
          sopInstanceUid: i.sopInstanceUid,
          status: f?.status ?? 'pending',
          clusters: f?.clusters.length,
          imageScore: f?.imageScore,
          failureReason: f?.failureReason,
          job: await jobState('instance.analyse', analyseJobId(i.sopInstanceUid)),
        };
      }),
    ),
    objects: await s.state.outputs(studyUid),
    exports: await Promise.all(
      exports.map(async (e) => ({ ...e, at: new Date(e.at).toISOString(), job: await jobState('export.store', exportJobId(studyUid, e.object, e.destination, e.fingerprint)) })),
    ),
    commitments: (await s.state.commitments(studyUid)).map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
    reportJobs: (await Promise.all(reportJobIds(studyUid).map((id) => jobState('study.report', id)))).filter(Boolean),
  };
}

function printStudy(d: Record<string, any>): string {
  const lines: string[] = [];
  const st = d.study;
  lines.push(`study ${st.studyUid}: ${st.phase}${st.lastError ? ` (${st.lastError})` : ''}`);
  lines.push(`  images received ${st.firstImageAt} .. ${st.lastImageAt}; reports built: ${st.reportCount}${st.reportedAt ? `, last ${st.reportedAt}` : ''}`);
  if (st.rejectedImages > 0) lines.push(`  images taken out by rejection notes: ${st.rejectedImages} (not analysed or reported, not taken back if sent again)`);
  if (st.movedOut > 0) lines.push(`  images moved to another study: ${st.movedOut} (received again under another Study Instance UID)`);
  for (const i of d.images) {
    const detail = i.status === 'analysed' ? `${i.clusters} cluster(s), score ${Number(i.imageScore).toFixed(3)}` : (i.failureReason ?? '');
    lines.push(`  image ${i.sopInstanceUid}: ${i.status} ${detail}${i.job ? ` [job ${i.job.state}, ${i.job.attemptsMade} attempt(s)]` : ''}`);
  }
  for (const [object, file] of Object.entries(d.objects)) lines.push(`  object ${object}: ${file}`);
  for (const e of d.exports) {
    lines.push(`  export ${e.object} -> ${e.destination}: ${e.outcome} ${e.detail}${e.job ? ` [job ${e.job.state}]` : ''}`);
  }
  for (const c of d.commitments) lines.push(`  storage commitment ${c.destination}: ${c.outcome} (${c.detail})${c.round > 0 ? `, round ${c.round}` : ''}`);
  for (const j of d.reportJobs) lines.push(`  report job ${j.id}: ${j.state}${j.failedReason ? ` (${j.failedReason})` : ''}`);
  return lines.join('\n') + '\n';
}

/** `mammocad study <StudyUID> [--json]`. */
export function registerStudyCommand(program: Command): void {
  program
    .command('study')
    .description("show a study's state: images and their analysis, objects built, exports and jobs")
    .argument('<studyUid>', 'Study Instance UID', uidArgument)
    .option('--json', 'print JSON', false)
    .action(async (studyUid: string, o: { json: boolean }) => {
      const d = await withOperatorSession((s) => describeStudy(s, studyUid));
      process.stdout.write(o.json ? JSON.stringify(d, null, 2) + '\n' : printStudy(d));
    });
}
