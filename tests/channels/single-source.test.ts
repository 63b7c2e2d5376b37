import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionId } from '../../bot/core/actions.ts';
import * as messages from '../../bot/core/messages.ts';

const CHANNELS_DIR = path.resolve('bot/channels');
const sources = readdirSync(CHANNELS_DIR)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(path.join(CHANNELS_DIR, file), 'utf8') }));

/** Every sentence the core says, as exported by bot/core/messages.ts. */
const coreTexts = Object.values(messages)
  .flatMap((value) =>
    typeof value === 'string' ? [value] : typeof value === 'object' ? Object.values(value) : [],
  )
  .filter((text): text is string => typeof text === 'string' && text.length >= 12);

describe('channel adapters take the core’s words and action ids from the core', () => {
  it.each(coreTexts)('no adapter copies « %s »', (text) => {
    const copies = sources.filter((source) => source.text.includes(text)).map((source) => source.file);
    expect(copies).toEqual([]);
  });

  it.each(Object.values(ActionId))('no adapter writes the action id %s as a literal', (id) => {
    const literal = new RegExp(`['"\`]${id}['"\`]`);
    const copies = sources.flatMap((source) =>
      source.text
        .split('\n')
        // Teams' feedback loop names its own action "feedback" (value.actionName): a protocol value, not our id.
        .filter((line) => literal.test(line) && !line.includes('actionName'))
        .map((line) => `${source.file}: ${line.trim()}`),
    );
    expect(copies).toEqual([]);
  });
});
