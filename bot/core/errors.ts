/** Every failure the core and the channels know how to name, log and apologise for. */
export enum ErrorCode {
  InvalidInput = 'invalid_input',
  KnowledgeUnavailable = 'knowledge_unavailable',
  StorageUnavailable = 'storage_unavailable',
  ChannelSendFailed = 'channel_send_failed',
  Unknown = 'unknown',
}

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The incoming message lacks what every turn needs (user, conversation…). */
export class InvalidInputError extends AppError {
  constructor(message: string) {
    super(ErrorCode.InvalidInput, message);
  }
}

/** The knowledge base failed to retrieve or answer. */
export class KnowledgeUnavailableError extends AppError {
  constructor(cause: unknown) {
    super(ErrorCode.KnowledgeUnavailable, 'knowledge base failed', { cause });
  }
}

/** A repository call failed (database down, constraint…). */
export class StorageError extends AppError {
  constructor(cause: unknown) {
    super(ErrorCode.StorageUnavailable, 'storage failed', { cause });
  }
}

/** A channel could not deliver a reply (Web API error, expired response URL…). */
export class ChannelSendError extends AppError {
  constructor(cause: unknown) {
    super(ErrorCode.ChannelSendFailed, 'channel send failed', { cause });
  }
}

export class UnknownError extends AppError {
  constructor(cause: unknown) {
    super(ErrorCode.Unknown, cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Applied at every boundary so error sinks always get a coded error. */
export function toAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new UnknownError(error);
}

/** Runs a call and turns any failure into the given coded error. */
export async function orFail<T>(call: () => Promise<T>, wrap: (cause: unknown) => AppError): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof AppError ? error : wrap(error);
  }
}
