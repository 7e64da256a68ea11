import * as fs from 'fs';
import * as path from 'path';
import { auditDeletion } from '../audit/auditDeletion';
import { spoolRoot } from '../store/spoolPaths';
import type { StudyIndex } from '../store/studyIndex';
import { isValidUid } from '../store/uid';
import type { StudyStateStore } from './studyStateStore';

export interface PruneOptions {
  dataDir: string;
  state: StudyStateStore;
  index: StudyIndex;
  /** Studies whose last image arrived more than this long ago. */
  olderThanMs: number;
  dryRun?: boolean;
  now?: number;
}

export interface PruneResult {
  pruned: string[];
  /** Old studies left alone: still being received or reported, or with exports still queued. */
  kept: { studyUid: string; why: string }[];
  freedBytes: number;
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const e of entries) {
    const full = path.join(dir, e.name);
    total += e.isDirectory()
      ? await folderBytes(full)
      : (await fs.promises.stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * Retention: removes the studies last active before the cut-off from the spool, the outputs and
 * Redis (state and index), which otherwise grow without end. Files go first: a crash half way then
 * leaves Redis pointing at missing files (pruned again next time), never spooled images without
 * state, which the spool scan would take for lost and analyse and send again.
 */
export async function pruneStudies(o: PruneOptions): Promise<PruneResult> {
  const result: PruneResult = { pruned: [], kept: [], freedBytes: 0 };
  const cutoff = (o.now ?? Date.now()) - o.olderThanMs;
  for (const studyUid of await o.state.studiesLastActiveBefore(cutoff)) {
    if (!isValidUid(studyUid)) {
      result.kept.push({ studyUid, why: 'not a valid UID' });
      continue;
    }
    const summary = await o.state.summary(studyUid);
    if (summary && (summary.phase === 'receiving' || summary.phase === 'reporting')) {
      result.kept.push({ studyUid, why: `still ${summary.phase}` });
      continue;
    }
    if ((await o.state.exports(studyUid)).some((r) => r.outcome === 'queued')) {
      result.kept.push({ studyUid, why: 'exports still queued' });
      continue;
    }
    const folders = [path.join(spoolRoot(o.dataDir), studyUid), path.join(o.dataDir, 'outputs', studyUid)];
    for (const folder of folders) result.freedBytes += await folderBytes(folder);
    result.pruned.push(studyUid);
    if (o.dryRun) continue;
    await auditDeletion('study', studyUid, await o.state.instances(studyUid), `retention: no activity for ${Math.round(o.olderThanMs / 86_400_000)} day(s)`);
    for (const folder of folders) await fs.promises.rm(folder, { recursive: true, force: true });
    await o.state.forget(studyUid);
    await o.index.forget(studyUid);
  }
  return result;
}
