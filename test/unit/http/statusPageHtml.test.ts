import { renderStatusPage, THUMBNAIL_PLACEHOLDER_CLASS } from '../../../src/http/statusPage';
import { ThumbnailCache } from '../../../src/http/thumbnailCache';

const study = {
  studyUid: '1.2.826.0.1.3680043.8.498.1',
  state: 'reported',
  clusterCount: 2,
  maxProbability: 0.874,
  instances: [
    { sopInstanceUid: '1.2.3.4.1', label: 'R CC', state: 'analysed', clusterCount: 2, maxProbability: 0.874 },
    { sopInstanceUid: '1.2.3.4.2', label: '<script>x</script>', state: 'analysed', clusterCount: 0 },
  ],
};

describe('status page HTML', () => {
  it('lists each study with its state, findings and one thumbnail link per image', () => {
    const html = renderStatusPage([study], { thumbnails: true });
    expect(html).toContain('Study 1.2.826.0.1.3680043.8.498.1');
    expect(html).toContain('<span class="state">reported</span>');
    expect(html).toContain('2 clusters, highest probability of cancer 87%');
    expect(html).toContain('no clusters');
    expect(html.match(/<img /g)).toHaveLength(2);
    expect(html).toContain('/studies/1.2.826.0.1.3680043.8.498.1/1.2.3.4.1/thumbnail.png?v=analysed-2');
    expect(html).not.toContain(THUMBNAIL_PLACEHOLDER_CLASS + '"');
  });

  it('escapes text and shows, in place of each thumbnail, why there are none', () => {
    const html = renderStatusPage([study], { thumbnails: 'thumbnails need http.token' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html.match(new RegExp(`class="${THUMBNAIL_PLACEHOLDER_CLASS}">thumbnails need http.token</div>`, 'g'))).toHaveLength(2);
    expect(html).not.toContain('<img ');
  });

  it('says an image that could not be analysed has no findings to wait for, and so does a study of only such images', () => {
    const failed = { sopInstanceUid: '1.2.3.4.9', label: 'L CC', state: 'failed: not analysable: image too small (2x1)', notAnalysable: true };
    const allFailed = renderStatusPage([{ studyUid: '1.2.3', state: 'reported', instances: [failed] }], { thumbnails: true });
    expect(allFailed).toContain('findings: none: no image analysable</p>');
    expect(allFailed).toContain('<td>failed: not analysable: image too small (2x1)</td><td>none: not analysable</td>');
    expect(allFailed).not.toContain('pending');

    const mixed = renderStatusPage([{ ...study, instances: [...study.instances, failed] }], { thumbnails: true });
    expect(mixed).toContain('findings: 2 clusters, highest probability of cancer 87%</p>');
    const stillComing = renderStatusPage([{ studyUid: '1.2.3', state: 'settling', instances: [failed, { sopInstanceUid: '1.2.3.4.8', state: 'received' }] }], {
      thumbnails: true,
    });
    expect(stillComing).toContain('findings: pending</p>');
  });

  it('says an implant view left out by configuration was not analysed, and a study of only such views has no findings to wait for', () => {
    const reason = 'not analysed: breast implant in the image (Breast Implant Present YES, not an implant-displaced view)';
    const implant = { sopInstanceUid: '1.2.3.4.7', label: 'R CC', state: reason, notAnalysed: true };
    const failed = { sopInstanceUid: '1.2.3.4.9', label: 'L CC', state: 'failed: not analysable: image too small (2x1)', notAnalysable: true };
    const html = renderStatusPage([{ studyUid: '1.2.3', state: 'reported', instances: [implant, failed] }], { thumbnails: true });
    expect(html).toContain(`<td>${reason}</td><td>none: not analysed</td>`);
    expect(html).toContain('findings: none: no image analysed</p>');
    expect(html).not.toContain('pending');
  });

  it('lists where each object went, with the reason of a failure', () => {
    const html = renderStatusPage(
      [
        {
          ...study,
          exports: [
            { destination: 'PACS@pacs:104', object: 'mammoCadSr', outcome: 'delivered', detail: '0000' },
            { destination: 'VIEWER@10.0.0.5:4242', object: 'gsps', outcome: 'failed', detail: 'A700 Refused: Out of Resources' },
          ],
        },
      ],
      { thumbnails: true },
    );
    expect(html).toContain('<li class="export-delivered">mammoCadSr → PACS@pacs:104: delivered</li>');
    expect(html).toContain('<li class="export-failed">gsps → VIEWER@10.0.0.5:4242: failed (A700 Refused: Out of Resources)</li>');
  });

  it('says when the study index is unavailable', () => {
    expect(renderStatusPage([], { thumbnails: true, error: 'redis down' })).toContain('Study index unavailable: redis down');
  });
});

describe('ThumbnailCache', () => {
  it('drops the least recently used entry', () => {
    const cache = new ThumbnailCache(2);
    cache.set('a', Buffer.from('a'));
    cache.set('b', Buffer.from('b'));
    cache.get('a');
    cache.set('c', Buffer.from('c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.toString()).toBe('a');
    expect(cache.get('c')?.toString()).toBe('c');
  });
});
