import type { Express } from 'express';
import type { Config } from '../config.ts';
import type { Core } from '../core/core.ts';
import type { Repositories } from '../core/ports.ts';
import type { DocumentFile } from '../documents/files.ts';
import type { Logger } from '../logger.ts';

/** The document a signed link of a reply names, made now; undefined when the link is not valid or it is gone. */
export type DocumentReader = (url: string) => Promise<DocumentFile | undefined>;

/** What every channel adapter receives from the composition root. */
export interface ChannelDeps {
  config: Config;
  core: Core;
  repositories: Repositories;
  logger: Logger;
  /** For channels that carry documents themselves (Slack uploads them) rather than only their links. */
  documents?: DocumentReader;
}

export interface MountedChannel {
  /** Stops background connections (Socket Mode…) after in-flight replies are done. */
  stop?: () => Promise<void>;
}

/** A channel adapter: registers its routes on the one HTTP app. Adding a channel is one such file. */
export type MountChannel = (app: Express, deps: ChannelDeps) => Promise<MountedChannel>;
