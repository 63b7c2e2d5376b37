import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs; message text and secrets stay out of info level. */
export function createLogger(
  level: pino.LevelWithSilent = 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service: 'boussole' },
      redact: {
        paths: [
          '*.token',
          '*.botToken',
          '*.signingSecret',
          '*.clientSecret',
          '*.apiKey',
          '*.authorization',
          'text',
          '*.text',
        ],
        censor: '[masqué]',
      },
    },
    destination,
  );
}
