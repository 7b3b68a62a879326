import { describe, expect, it } from 'vitest';
import { BUILTIN_LAYERS } from './builtin-layers.js';
import { checkLayer, parseLayerFile } from './layer-validation.js';

const FILE = '/home/me/.config/porthole/layers/tools.json';

function problemsOf(document: unknown, expectedName = 'tools') {
  return parseLayerFile(JSON.stringify(document), FILE, expectedName).problems;
}

describe('layer files', () => {
  it('accepts every field used well', () => {
    const parsed = parseLayerFile(
      JSON.stringify({
        $schema: '../schema/layer.schema.json',
        name: 'tools',
        description: 'Rust and a prompt',
        extends: ['developer'],
        apt: ['ripgrep', 'fd-find'],
        steps: [{ name: 'install rustup', run: 'command -v rustup || curl -sSf https://sh.rustup.rs | sh -s -- -y' }],
        files: [{ path: '/home/porthole/.config/starship.toml', content: 'add_newline = false\n', mode: '0644', owner: 'porthole:porthole' }],
        env: { EDITOR: 'code --wait' },
        codeServer: { extensions: ['rust-lang.rust-analyzer'], settings: { 'editor.formatOnSave': true } },
        dotfiles: { repo: 'https://github.com/example/dotfiles.git', install: './install.sh' },
        idleTimeoutMinutes: 45,
        ports: [3000, 8888],
      }),
      FILE,
      'tools',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.layer?.name).toBe('tools');
  });

  it('accepts the built-in layers', () => {
    for (const layer of BUILTIN_LAYERS) expect(checkLayer(layer, `built-in layer ${layer.name}`, layer.name).problems).toEqual([]);
  });

  it('names an unknown field with its path and the field it probably meant', () => {
    expect(problemsOf({ name: 'tools', description: 'x', extend: ['base'] })).toEqual([
      { file: FILE, path: '$.extend', message: '"extend" is not a field here.', fix: 'Did you mean "extends"? Otherwise remove it.' },
    ]);
    expect(problemsOf({ name: 'tools', description: 'x', codeServer: { plugins: [] } })[0]).toMatchObject({ path: '$.codeServer.plugins', message: '"plugins" is not a field here.' });
  });

  it('refuses a declared port of 0, 70000, "abc" or one listed twice, naming the file and the field', () => {
    expect(problemsOf({ name: 'tools', description: 'x', ports: [0, 70_000, 'abc', 3000, 3000] })).toEqual([
      { file: FILE, path: '$.ports[0]', message: '0 is out of range.', fix: 'Use a whole number from 1 to 65535.' },
      { file: FILE, path: '$.ports[1]', message: '70000 is out of range.', fix: 'Use a whole number from 1 to 65535.' },
      { file: FILE, path: '$.ports[2]', message: 'Expected a whole number, found string "abc".', fix: 'Write a whole number from 1 to 65535 here.' },
      { file: FILE, path: '$.ports[4]', message: '3000 is listed twice.', fix: 'Remove the repeated entry.' },
    ]);
    expect(problemsOf({ name: 'tools', description: 'x', ports: 3000 })).toEqual([{ file: FILE, path: '$.ports', message: 'Expected a list, found number 3000.', fix: 'Write a list here.' }]);
  });

  it('refuses a bad file mode', () => {
    const [problem] = problemsOf({ name: 'tools', description: 'x', files: [{ path: '/opt/tools/run', content: '', mode: '755' }] });
    expect(problem).toMatchObject({ path: '$.files[0].mode', message: '"755" is not an octal file mode.' });
    expect(problem?.fix).toContain('"0644"');
    expect(problemsOf({ name: 'tools', description: 'x', files: [{ path: '/opt/tools/run', content: '', mode: '0855' }] })[0]?.path).toBe('$.files[0].mode');
  });

  it('refuses paths outside the allowed roots, and ones that climb out of them', () => {
    for (const path of ['/etc/passwd', '/root/.ssh/authorized_keys', '/home/porthole', '/opt/../etc/shadow', '/usr/local/./bin/x', 'home/porthole/x', '/home/portholex/x', '/usr/localbin/x']) {
      const [problem] = problemsOf({ name: 'tools', description: 'x', files: [{ path, content: '' }] });
      expect(problem, path).toMatchObject({ path: '$.files[0].path' });
      expect(problem?.message).toContain('outside the folders a layer may write');
    }
    for (const path of ['/home/porthole/.bashrc', '/etc/porthole/extra.conf', '/opt/tool/bin/tool', '/usr/local/bin/tool', '/home/porthole/..hidden']) {
      expect(problemsOf({ name: 'tools', description: 'x', files: [{ path, content: '' }] }), path).toEqual([]);
    }
  });

  it('refuses extension ids that are not publisher.name', () => {
    const problems = problemsOf({ name: 'tools', description: 'x', codeServer: { extensions: ['ms-python.python', 'python', 'ms-python/python', 'a.b.c'] } });
    expect(problems.map((p) => p.path)).toEqual(['$.codeServer.extensions[1]', '$.codeServer.extensions[2]', '$.codeServer.extensions[3]']);
    expect(problems[0]?.message).toBe('"python" is not an Open VSX extension id.');
    expect(problems[0]?.fix).toContain('publisher.name');
  });

  it('reports every problem of a file at once, each with its JSON path', () => {
    const problems = problemsOf({
      name: 'Tools',
      extends: 'base',
      apt: ['ok', 'Not OK'],
      steps: [{ name: 'x' }],
      env: { 'BAD-NAME': 'v', GOOD: 'line\nbreak' },
      idleTimeoutMinutes: 1.5,
      surprise: true,
    });
    expect(problems.map((p) => p.path)).toEqual([
      '$.description',
      '$.name',
      '$.extends',
      '$.apt[1]',
      '$.steps[0].run',
      '$.env["BAD-NAME"]',
      '$.env.GOOD',
      '$.idleTimeoutMinutes',
      '$.surprise',
    ]);
    for (const problem of problems) {
      expect(problem.file).toBe(FILE);
      expect(problem.fix.length).toBeGreaterThan(5);
    }
  });

  it('wants the file name and the layer name to agree, and no layer to extend itself', () => {
    expect(problemsOf({ name: 'other', description: 'x' })[0]).toMatchObject({ path: '$.name', fix: 'Rename the file to other.json or set "name": "tools".' });
    expect(problemsOf({ name: 'tools', description: 'x', extends: ['tools'] })[0]?.message).toContain('cycle: tools -> tools');
  });

  it('wants step names and file paths unique within a layer', () => {
    const problems = problemsOf({
      name: 'tools',
      description: 'x',
      steps: [{ name: 'a', run: 'true' }, { name: 'a', run: 'false' }],
      files: [{ path: '/opt/x', content: '1' }, { path: '/opt/x', content: '2' }],
    });
    expect(problems.map((p) => p.path)).toEqual(['$.steps[1].name', '$.files[1].path']);
  });

  it('says where the JSON is broken', () => {
    const [problem] = parseLayerFile('{"name": "tools",', FILE, 'tools').problems;
    expect(problem?.path).toBe('$');
    expect(problem?.message).toMatch(/not valid JSON/);
  });
});
