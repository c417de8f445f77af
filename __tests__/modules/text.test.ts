// src/text.ts: a value on its way into the step log stays on one line. Pure.

import { describe, expect, it } from '@jest/globals';
import { oneLine } from '../../src/text.js';

describe('oneLine', () => {
  it('turns every run of control characters and line separators into one space', () => {
    expect(oneLine('a\nb\r\nc\td\u0000e\u001bf\u007fg\u2028h\u2029i\u0085j')).toBe('a b c d e f g h i j');
  });

  it('keeps a workflow command from starting a line of its own', () => {
    const text = oneLine('role not found\n::stop-commands::token\n::add-mask::x');
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toBe('role not found ::stop-commands::token ::add-mask::x');
  });

  it('leaves printable text, Unicode included, as it is', () => {
    expect(oneLine('Zugriff verweigert: 权限不足 — ok')).toBe('Zugriff verweigert: 权限不足 — ok');
  });
});
