import { describe, expect, it } from 'vitest';
import { citationLabel, linkCitationMarkers, sourceUrl } from '../../bot/core/citations.ts';
import {
  AppError,
  ChannelSendError,
  ErrorCode,
  InvalidInputError,
  KnowledgeUnavailableError,
  StorageError,
  toAppError,
  UnknownError,
} from '../../bot/core/errors.ts';
import type { Citation } from '../../knowledge/types.ts';

describe('errors', () => {
  it.each([
    [new InvalidInputError('x'), ErrorCode.InvalidInput],
    [new KnowledgeUnavailableError(new Error('x')), ErrorCode.KnowledgeUnavailable],
    [new StorageError(new Error('x')), ErrorCode.StorageUnavailable],
    [new ChannelSendError(new Error('x')), ErrorCode.ChannelSendFailed],
    [new UnknownError('x'), ErrorCode.Unknown],
  ])('%s carries its code', (error, code) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(code);
  });

  it('toAppError keeps coded errors and wraps anything else', () => {
    const coded = new StorageError(new Error('db'));
    expect(toAppError(coded)).toBe(coded);
    const wrapped = toAppError('boom');
    expect(wrapped).toBeInstanceOf(UnknownError);
    expect(wrapped.message).toBe('boom');
  });
});

const citation: Citation = {
  n: 2,
  document: 'guide coop',
  title: 'Guide',
  section: 'Fiches › Convention',
  anchor: 'sec-convention',
  passageId: 'guide coop:3',
  snippet: '…',
};

describe('citation links', () => {
  it('point at the source viewer with the passage and the section anchor', () => {
    expect(sourceUrl('https://b.test/', citation)).toBe(
      'https://b.test/sources/guide%20coop?passage=guide%20coop%3A3#sec-convention',
    );
  });

  it('replace only the markers that have a citation, escaping the rest', () => {
    const linked = linkCitationMarkers(
      'A <b> [2] et [7].',
      [citation],
      (c, marker) => `<a href="${c.n}">${marker}</a>`,
      (plain) => plain.replace(/</g, '&lt;'),
    );
    expect(linked).toBe('A &lt;b> <a href="2">[2]</a> et [7].');
  });

  it('label a citation with its title and section', () => {
    expect(citationLabel(citation)).toBe('Guide › Fiches › Convention');
    expect(citationLabel({ ...citation, section: '' })).toBe('Guide');
  });
});
