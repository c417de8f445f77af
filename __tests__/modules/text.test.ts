// src/text.ts: a value on its way into the step log stays on one line. Pure.

import { describe, expect, it } from '@jest/globals';
import { clip, oneLine } from '../../src/text.js';

describe('oneLine', () => {
  it('turns every run of control characters and line separators into one space', () => {
    expect(oneLine('a\nb\r\nc\td\u0000e\u001bf\u007fg\u2028h\u2029i\u0085j')).toBe('a b c d e f g h i j');
  });

  it('keeps a workflow command from starting a line of its own', () => {
    const text = oneLine('role not found\n::stop-commands::token\n::add-mask::x');
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toBe('role not found ::stop-commands::token ::add-mask::x');
  });

  // The runner reads its older command form, ##[name]data, anywhere in a line (actions/runner,
  // src/Runner.Common/ActionCommand.cs, TryParse: message.IndexOf("##[")), and the current one, ::name::data, from a
  // line that starts with it after white space (TryParseV2: TrimStart, then StartsWith("::")).
  it.each([
    ['x##[stop-commands]zz', 'x## [stop-commands]zz'],
    ['a ##[add-mask]% b ##[set-output name=x]y', 'a ## [add-mask]% b ## [set-output name=x]y'],
    ['###[x]', '### [x]'],
    ['##[##[x]', '## [## [x]'],
    ['path/with\n##[stop-commands]zz', 'path/with ## [stop-commands]zz'],
  ])('breaks the older ##[command] form anywhere in the line: %j', (text, expected) => {
    const out = oneLine(text);
    expect(out).toBe(expected);
    expect(out).not.toContain('##[');
  });

  it.each([
    ['::add-mask::x', ': :add-mask::x'],
    ['  \t::stop-commands::t', '   : :stop-commands::t'],
    ['\u00a0\u3000::warning::w', '\u00a0\u3000: :warning::w'],
    ['\n::error::e', ' : :error::e'],
  ])('keeps a line from starting with :: after white space: %j', (text, expected) => {
    const out = oneLine(text);
    expect(out).toBe(expected);
    expect(out.trimStart().startsWith('::')).toBe(false);
  });

  it('leaves :: inside a line alone (an IPv6 address, a later command-like text)', () => {
    expect(oneLine('fd00::9 answered ::x::')).toBe('fd00::9 answered ::x::');
  });

  it('leaves printable text, Unicode included, as it is', () => {
    expect(oneLine('Zugriff verweigert: 权限不足 — ok')).toBe('Zugriff verweigert: 权限不足 — ok');
  });
});

describe('clip', () => {
  it('leaves text within the limit as it is', () => {
    expect(clip('short message', 300)).toBe('short message');
    expect(clip('x'.repeat(300), 300)).toBe('x'.repeat(300));
  });

  it('cuts long text before the word the limit falls in, and says so', () => {
    const text = `${'word '.repeat(100)}tail`;
    const out = clip(text, 23);
    expect(out).toBe('word word word word […]');
  });

  it('never keeps part of a word: a secret that straddles the limit is dropped whole', () => {
    const secret = 'CAISsecretSecurityToken0123456789';
    const out = clip(`Invalid token ${secret} given`, 20);
    expect(out).toBe('Invalid token […]');
    expect(out).not.toContain('CAIS');
  });

  it('keeps nothing of one over-long word', () => {
    expect(clip('a'.repeat(1 << 20), 300)).toBe('[…]');
  });

  it('cuts 1 MiB of text to the limit', () => {
    expect(clip('ab '.repeat(350_000), 300).length).toBeLessThanOrEqual(304);
  });
});
