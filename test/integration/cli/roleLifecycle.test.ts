import { startChildNode } from '../../helpers/childNode';

describe('runRole: a signal while the role is still starting', () => {
  it('waits for the start to finish, then stops the role and exits 0 (dying mid-start would orphan the embedded Redis)', async () => {
    const node = await startChildNode('slowStartRoleProcess.ts', {}, /starting/);
    await new Promise((r) => setTimeout(r, 300)); // tsx loaded, runRole inside its start
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    const log = node.log();
    expect(log).toMatch(/"message":"stopping".*"when":"once started"/);
    expect(log.indexOf('started\n')).toBeLessThan(log.indexOf('role stopped'));
    expect(log).toMatch(/"message":"stopped"/);
  });
});
