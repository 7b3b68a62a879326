import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLayerCatalog, projectLayersDir, userLayersDir } from './layer-catalog.js';
import { LayerProblemsError } from './layer-problems.js';

describe('layer catalog', () => {
  let dir: string;
  let dataDir: string;
  let projectDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-layers-'));
    dataDir = join(dir, 'data');
    projectDir = join(dir, 'project');
    await mkdir(userLayersDir(dataDir), { recursive: true });
    await mkdir(projectLayersDir(projectDir), { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = (folder: string, name: string, layer: unknown) => writeFile(join(folder, `${name}.json`), JSON.stringify(layer));

  it('has the built-in layers with no folders at all', async () => {
    const catalog = await loadLayerCatalog({ dataDir: join(dir, 'absent'), projectDir: join(dir, 'absent') });
    expect([...catalog.keys()]).toEqual(['base', 'aws', 'developer', 'devops', 'admin']);
    expect(catalog.get('devops')?.source).toEqual({ kind: 'built-in' });
  });

  it('lets user layers replace built-in ones, and project layers replace both, saying so', async () => {
    await write(userLayersDir(dataDir), 'developer', { name: 'developer', description: 'mine', extends: ['base'] });
    await write(userLayersDir(dataDir), 'rust', { name: 'rust', description: 'rust', extends: ['developer'] });
    await write(projectLayersDir(projectDir), 'developer', { name: 'developer', description: 'the project one', extends: ['base'] });
    const catalog = await loadLayerCatalog({ dataDir, projectDir });
    const developer = catalog.get('developer')!;
    expect(developer.layer.description).toBe('the project one');
    expect(developer.source).toEqual({ kind: 'project', file: join(projectLayersDir(projectDir), 'developer.json') });
    expect(developer.overrides).toEqual([{ kind: 'built-in' }, { kind: 'user', file: join(userLayersDir(dataDir), 'developer.json') }]);
    expect(catalog.get('rust')?.source.kind).toBe('user');
  });

  it('reports the problems of every file together', async () => {
    await write(userLayersDir(dataDir), 'one', { name: 'one', description: 'x', files: [{ path: '/etc/shadow', content: '' }] });
    await write(projectLayersDir(projectDir), 'two', { name: 'two', description: 'x', mode: '0644' });
    const error = await loadLayerCatalog({ dataDir, projectDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LayerProblemsError);
    const problems = (error as LayerProblemsError).problems;
    expect(problems.map((p) => [p.file, p.path])).toEqual([
      [join(userLayersDir(dataDir), 'one.json'), '$.files[0].path'],
      [join(projectLayersDir(projectDir), 'two.json'), '$.mode'],
    ]);
    expect((error as LayerProblemsError).kind).toBe('usage');
    expect((error as Error).message).toContain('two.json $.mode: "mode" is not a field here.');
  });
});
