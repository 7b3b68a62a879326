import { describe, expect, it } from 'vitest';
import { chooseCopyTool, copyDirection, homeRelative, parseCopyPlace, remoteShellPath } from './file-copy.js';

describe('parseCopyPlace and copyDirection', () => {
  it('reads NAME:PATH as the workspace side, as scp does, and a colon after a slash as a local path', () => {
    expect(parseCopyPlace('demo:~/project')).toEqual({ kind: 'workspace', workspace: 'demo', path: '~/project' });
    expect(parseCopyPlace('demo:')).toEqual({ kind: 'workspace', workspace: 'demo', path: '~' });
    expect(parseCopyPlace('./a:b')).toEqual({ kind: 'local', path: './a:b' });
    expect(parseCopyPlace('backup')).toEqual({ kind: 'local', path: 'backup' });
  });

  it('copies between here and one workspace, and says how to write it otherwise', () => {
    expect(copyDirection(parseCopyPlace('demo:~/p'), parseCopyPlace('./b'))).toEqual({ local: './b', remote: { kind: 'workspace', workspace: 'demo', path: '~/p' }, upload: false });
    expect(copyDirection(parseCopyPlace('./d'), parseCopyPlace('demo:~/d')).upload).toBe(true);
    expect(() => copyDirection(parseCopyPlace('./a'), parseCopyPlace('./b'))).toThrow(/Neither side of the copy is a workspace.*NAME:PATH/s);
    expect(() => copyDirection(parseCopyPlace('a:x'), parseCopyPlace('b:y'))).toThrow(/Both sides of the copy are workspaces/);
  });
});

describe('remoteShellPath', () => {
  it('leaves ~ to the box shell and quotes the rest', () => {
    expect(remoteShellPath('~')).toBe('"$HOME"/');
    expect(remoteShellPath("~/it's here")).toBe(`"$HOME"/'it'\\''s here'`);
    expect(remoteShellPath('/tmp/$x')).toBe("'/tmp/$x'");
  });
});

describe('homeRelative', () => {
  it('gives rsync and scp the home as where they start', () => {
    expect(homeRelative('~')).toBe('.');
    expect(homeRelative('~/data')).toBe('data');
    expect(homeRelative('/srv/data')).toBe('/srv/data');
  });
});

describe('chooseCopyTool', () => {
  it('takes rsync when it is on the PATH, scp otherwise, and what PORTHOLE_COPY_TOOL asks', async () => {
    expect(await chooseCopyTool(undefined, { PATH: '/nonexistent' })).toBe('scp');
    expect(await chooseCopyTool(undefined, { PATH: process.env.PATH!, PORTHOLE_COPY_TOOL: 'scp' })).toBe('scp');
    await expect(chooseCopyTool('rsync', { PATH: '/nonexistent' })).rejects.toThrow(/rsync is not installed on this computer/);
    await expect(chooseCopyTool('ftp', {})).rejects.toThrow(/"ftp" is not a copy tool/);
  });
});
