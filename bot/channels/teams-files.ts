import type { Activity } from '@microsoft/agents-activity';
import type { IncomingFile } from '../core/types.ts';
import { remoteFile } from './downloads.ts';

/**
 * Files sent to the bot in Teams. A file shared in a personal chat arrives as a
 * `application/vnd.microsoft.teams.file.download.info` attachment whose `content.downloadUrl` is a
 * short-lived, pre-authenticated link; other clients (the Agents Playground, Web Chat) send plain attachments
 * with a `contentUrl`. The message's own HTML copy and cards are not files.
 */

const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';
const NOT_FILES = /^(?:text\/html|application\/vnd\.microsoft\.card\.)/;

export function teamsFiles(activity: Pick<Activity, 'attachments'>): IncomingFile[] {
  return (activity.attachments ?? []).flatMap((attachment) => {
    const name = attachment.name;
    if (!name) return [];
    if (attachment.contentType === TEAMS_FILE) {
      const url = (attachment.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
      return typeof url === 'string' ? [remoteFile(name, url)] : [];
    }
    if (NOT_FILES.test(attachment.contentType) || typeof attachment.contentUrl !== 'string') return [];
    return [remoteFile(name, attachment.contentUrl, attachment.contentType)];
  });
}
