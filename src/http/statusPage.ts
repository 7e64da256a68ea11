import { Router } from 'express';
import { DASHBOARD_PATH } from './dashboard';
import { InstanceStatus, StudyStatus, StudyStatusSource } from './studyStatus';
import { ThumbnailCache } from './thumbnailCache';
import { instancesViewed } from '../audit/auditEvents';
import { audit } from '../audit/auditTrail';
import { auditedStudy } from '../audit/studyIdentity';
import { logger } from '../log/logger';
import { withTimeout } from '../runtime/withTimeout';

const UID = /^[0-9.]{1,64}$/;
export const THUMBNAIL_SIZE = 256;
export const THUMBNAIL_PLACEHOLDER_CLASS = 'thumbnail-placeholder';
/** A Redis that does not answer (stopped, swapping) gets the page's error, not a request that never ends. */
const STUDY_INDEX_TIMEOUT_MS = 5000;

/**
 * GET / : a small status page listing recent studies with their state, findings and a thumbnail of
 * each image with its marks. GET /studies/:study/:instance/thumbnail.png serves the thumbnails.
 */
export function statusPageRoutes(source: StudyStatusSource, opts: { limit?: number; title?: string } = {}): Router {
  const router = Router();
  const thumbnails = new ThumbnailCache(64);
  const thumbnailsOff = source.thumbnailsOff ?? 'no thumbnails';
  let rendering: Promise<unknown> = Promise.resolve();
  router.get('/', async (_req, res) => {
    let studies: StudyStatus[] = [];
    let error: string | undefined;
    try {
      studies = await withTimeout(source.recentStudies(opts.limit ?? 25), STUDY_INDEX_TIMEOUT_MS, 'reading the study index');
    } catch (err) {
      error = (err as Error).message;
      logger.warn('status page: study index unavailable', { error });
    }
    res
      .status(error ? 503 : 200)
      .type('html')
      .send(renderStatusPage(studies, { title: opts.title, error, thumbnails: source.renderThumbnail ? true : thumbnailsOff }));
  });
  router.get('/studies/:studyUid/:sopInstanceUid/thumbnail.png', async (req, res) => {
    const { studyUid, sopInstanceUid } = req.params;
    if (!UID.test(studyUid) || !UID.test(sopInstanceUid)) return void res.status(400).json({ error: 'malformed UID' });
    if (!source.renderThumbnail) return void res.status(404).json({ error: thumbnailsOff });
    // The page adds ?v=<state> so a thumbnail is rendered again once the image's findings change.
    const key = `${studyUid}/${sopInstanceUid}/${String(req.query.v ?? '').slice(0, 32)}`;
    try {
      let png = thumbnails.get(key);
      if (!png) {
        const render = source.renderThumbnail;
        // One render at a time: each decodes a whole image (in a worker thread), so memory stays bounded.
        const rendered = rendering.then(() => render(studyUid, sopInstanceUid, THUMBNAIL_SIZE));
        rendering = rendered.catch(() => undefined);
        png = await rendered;
        if (!png) return void res.status(404).json({ error: 'unknown image' });
        thumbnails.set(key, png);
      }
      res.type('png').set('Cache-Control', 'private, max-age=60').send(png);
      auditView(source, { address: req.socket.remoteAddress ?? '', path: req.path, user: res.locals.user as string | undefined }, studyUid, sopInstanceUid);
    } catch (err) {
      logger.warn('thumbnail failed', { studyUid, sopInstanceUid, error: (err as Error).message });
      res.status(500).json({ error: 'thumbnail could not be rendered' });
    }
  });
  return router;
}

/** Pure HTML rendering, so the page is tested without a server as well as in a browser. */
export function renderStatusPage(
  studies: StudyStatus[],
  /** thumbnails: true, or why there are none (shown in their place). */
  opts: { title?: string; error?: string; thumbnails: true | string },
): string {
  const title = opts.title ?? 'mammocad status';
  const body = opts.error
    ? `<p class="error">Study index unavailable: ${esc(opts.error)}</p>`
    : studies.length === 0
      ? '<p class="empty">No studies received yet.</p>'
      : studies.map((s) => studySection(s, opts.thumbnails)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="15">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;background:#fafafa;color:#222}
h1{font-size:1.4rem} h2{font-size:1rem;font-family:monospace;margin:0}
section.study{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem;margin-bottom:1rem}
table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;font-size:.85rem}
.state{font-weight:bold} .thumbs{display:flex;flex-wrap:wrap;gap:.5rem}
figure{margin:0;text-align:center;font-size:.75rem} figure img{background:#000;display:block}
.${THUMBNAIL_PLACEHOLDER_CLASS}{width:${THUMBNAIL_SIZE / 2}px;height:${THUMBNAIL_SIZE / 2}px;display:flex;align-items:center;justify-content:center;background:#eee;color:#666;border:1px dashed #aaa}
.error{color:#a00} .exports{font-size:.8rem;margin:.3rem 0} .export-failed{color:#a00} .export-delivered{color:#070}
</style></head>
<body>
<h1>${esc(title)}</h1>
<nav><a href="${DASHBOARD_PATH}">Queues</a> · <a href="/metrics">Metrics</a> · <a href="/readyz">Readiness</a></nav>
<p>${studies.length} recent ${studies.length === 1 ? 'study' : 'studies'}; refreshed every 15 s.</p>
${body}
</body></html>
`;
}

function studySection(s: StudyStatus, thumbnails: true | string): string {
  const rows = s.instances.map(instanceRow).join('');
  const thumbs = s.instances
    .map((i) => {
      const caption = `<figcaption>${esc(i.label ?? shortUid(i.sopInstanceUid))}</figcaption>`;
      if (thumbnails !== true) {
        return `<figure><div class="${THUMBNAIL_PLACEHOLDER_CLASS}">${esc(thumbnails)}</div>${caption}</figure>`;
      }
      const src = `/studies/${encodeURIComponent(s.studyUid)}/${encodeURIComponent(i.sopInstanceUid)}/thumbnail.png?v=${encodeURIComponent(`${i.state}-${i.clusterCount ?? ''}`)}`;
      return `<figure><img src="${esc(src)}" alt="${esc(i.label ?? i.sopInstanceUid)} with CAD marks" loading="lazy" width="${THUMBNAIL_SIZE / 2}">${caption}</figure>`;
    })
    .join('');
  return `<section class="study" data-study-uid="${esc(s.studyUid)}">
<h2>Study ${esc(s.studyUid)}</h2>
<p>State: <span class="state">${esc(s.state)}</span>${s.updatedAt ? ` · updated ${esc(s.updatedAt)}` : ''} · ${s.instances.length} image(s) · findings: ${esc(studyFindingsText(s))}</p>
<table><thead><tr><th>SOP Instance UID</th><th>Image</th><th>State</th><th>Findings</th></tr></thead><tbody>${rows}</tbody></table>
${exportsList(s)}<div class="thumbs">${thumbs}</div>
</section>`;
}

function exportsList(s: StudyStatus): string {
  if (!s.exports || s.exports.length === 0) return '';
  const items = s.exports
    .map((e) => `<li class="export-${esc(e.outcome)}">${esc(e.object)} → ${esc(e.destination)}: ${esc(e.outcome)}${e.outcome === 'failed' && e.detail ? ` (${esc(e.detail)})` : ''}</li>`)
    .join('');
  return `<ul class="exports">${items}</ul>`;
}

function instanceFindingsText(i: InstanceStatus): string {
  if (i.notAnalysable) return 'none: not analysable';
  if (i.notAnalysed) return 'none: not analysed';
  return findingsText(i.clusterCount, i.maxProbability);
}

function instanceRow(i: InstanceStatus): string {
  return `<tr><td><code>${esc(i.sopInstanceUid)}</code></td><td>${esc(i.label ?? '')}</td><td>${esc(i.state)}</td><td>${esc(instanceFindingsText(i))}</td></tr>`;
}

/** A study none of whose images was analysed has no findings to wait for: "pending" would never change. */
function studyFindingsText(s: StudyStatus): string {
  if (s.clusterCount !== undefined || s.instances.length === 0) return findingsText(s.clusterCount, s.maxProbability);
  if (s.instances.every((i) => i.notAnalysable)) return 'none: no image analysable';
  if (s.instances.every((i) => i.notAnalysable || i.notAnalysed)) return 'none: no image analysed';
  return findingsText(s.clusterCount, s.maxProbability);
}

function findingsText(clusters: number | undefined, maxProbability: number | undefined): string {
  if (clusters === undefined) return 'pending';
  if (clusters === 0) return 'no clusters';
  const p = maxProbability === undefined ? '' : `, highest probability of cancer ${Math.round(maxProbability * 100)}%`;
  return `${clusters} cluster${clusters === 1 ? '' : 's'}${p}`;
}

function shortUid(uid: string): string {
  return uid.length > 20 ? `…${uid.slice(-16)}` : uid;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "DICOM Instances Accessed" (Read): someone viewed an image (its thumbnail) on the status page. */
function auditView(source: StudyStatusSource, viewer: { address: string; path: string; user?: string }, studyUid: string, sopInstanceUid: string): void {
  const imageFile = source.imageFile;
  if (!imageFile) return;
  audit(async (self) => {
    const file = await imageFile(studyUid, sopInstanceUid);
    return instancesViewed(self, viewer, await auditedStudy(studyUid, file ? [{ path: file }] : []));
  });
}
