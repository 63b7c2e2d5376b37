import type { IncomingFile } from '../core/types.ts';
import { remoteFile } from './downloads.ts';

/**
 * Files shared with a Slack message (`file_share`): each is downloaded from its `url_private` with the bot
 * token (scope `files:read`), only when the core reads it.
 */

export interface SlackSharedFile {
  name?: string;
  mimetype?: string;
  url_private_download?: string;
  url_private?: string;
}

export function slackFiles(files: SlackSharedFile[] | undefined, botToken: string): IncomingFile[] {
  return (files ?? []).flatMap((file) => {
    const url = file.url_private_download ?? file.url_private;
    if (!file.name || !url) return [];
    return [remoteFile(file.name, url, file.mimetype, { Authorization: `Bearer ${botToken}` })];
  });
}
