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

  it('escapes text and shows a named placeholder when no renderer is wired', () => {
    const html = renderStatusPage([study], { thumbnails: false });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html.match(new RegExp(`class="${THUMBNAIL_PLACEHOLDER_CLASS}"`, 'g'))).toHaveLength(2);
    expect(html).not.toContain('<img ');
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
