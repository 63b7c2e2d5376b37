import type { Express } from 'express';
import type { Config } from '../config.ts';
import type { Core } from '../core/core.ts';
import type { Repositories } from '../core/ports.ts';
import type { Logger } from '../logger.ts';

/** What every channel adapter receives from the composition root. */
export interface ChannelDeps {
  config: Config;
  core: Core;
  repositories: Repositories;
  logger: Logger;
}

export interface MountedChannel {
  /** Stops background connections (Socket Mode…) after in-flight replies are done. */
  stop?: () => Promise<void>;
}

/** A channel adapter: registers its routes on the one HTTP app. Adding a channel is one such file. */
export type MountChannel = (app: Express, deps: ChannelDeps) => Promise<MountedChannel>;
