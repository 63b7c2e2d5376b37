import type { Feature } from '../core/feature.ts';
import type { CoreServices } from '../core/handle-turn.ts';
import { dashboardFeature } from './dashboard/routes.ts';
import { digestFeature } from './digest/routes.ts';
import { fichesFeature } from './fiches/routes.ts';

/** Every feature the core runs, in route order. A new feature is one line here. */
export const FEATURES: ((services: CoreServices) => Feature)[] = [
  fichesFeature,
  dashboardFeature,
  digestFeature,
];
