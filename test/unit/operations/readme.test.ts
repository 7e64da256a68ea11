import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('starts with the two commands', () => {
    expect(readme).toContain('npm start   # installs what is missing');
    expect(readme).toContain('npm test    # the same set-up');
    expect(readme.indexOf('npm start')).toBeLessThan(readme.indexOf('## Send a first study'));
  });

  it('shows a picture of CAD marks that exists', () => {
    const image = /!\[[^\]]+\]\(([^)]+\.png)\)/.exec(readme)?.[1];
    expect(image).toBe('docs/img/report-example.png');
    expect(fs.existsSync(path.join(ROOT, image!))).toBe(true);
  });

  it('links to every document in docs/, and every relative link resolves', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.filter((l) => !fs.existsSync(path.join(ROOT, l)))).toEqual([]);
    const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    expect(docs.filter((d) => !links.includes(`docs/${d}`))).toEqual([]);
  });

  it('shows how to send a first study three ways', () => {
    expect(readme).toContain('npm run synth:study -- --out /tmp/study');
    expect(readme).toMatch(/storescu -aec MAMMOCAD .* localhost 11112 \/tmp\/study/);
    expect(readme).toContain('node dist/cli/main.js send /tmp/study --to MAMMOCAD@localhost:11112');
  });
});
