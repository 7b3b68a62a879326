import { describe, expect, it } from 'vitest';
import { isEditorKey, type KeyPress } from './editor-keys-policy.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ type: 'keyDown', key, control: false, meta: false, shift: false, alt: false, ...mods });

describe('isEditorKey', () => {
  it.each([
    ['Ctrl+W', press('w', { control: true })],
    ['Ctrl+N', press('n', { control: true })],
    ['Ctrl+T', press('t', { control: true })],
    ['Ctrl+Shift+T', press('T', { control: true, shift: true })],
    ['Ctrl+Tab', press('Tab', { control: true })],
    ['Ctrl+Shift+Tab', press('Tab', { control: true, shift: true })],
    ['Ctrl+R', press('r', { control: true })],
    ['Ctrl+P', press('p', { control: true })],
    ['Ctrl+PageDown', press('PageDown', { control: true })],
    ['F5', press('F5')],
  ])('gives %s to VS Code on Linux and Windows', (_name, input) => {
    expect(isEditorKey(input, 'linux')).toBe(true);
    expect(isEditorKey(input, 'win32')).toBe(true);
  });

  it('gives Cmd+W and Cmd+T to VS Code on macOS, and keeps Cmd+Q for quitting', () => {
    expect(isEditorKey(press('w', { meta: true }), 'darwin')).toBe(true);
    expect(isEditorKey(press('t', { meta: true }), 'darwin')).toBe(true);
    expect(isEditorKey(press('q', { meta: true }), 'darwin')).toBe(false);
  });

  it('leaves plain typing, key releases and Alt chords alone', () => {
    expect(isEditorKey(press('w'), 'linux')).toBe(false);
    expect(isEditorKey({ ...press('w', { control: true }), type: 'keyUp' }, 'linux')).toBe(false);
    expect(isEditorKey(press('F4', { alt: true }), 'linux')).toBe(false);
    expect(isEditorKey(press('w', { meta: true }), 'linux')).toBe(false);
  });
});
