/**
 * Why an export did not deliver. Every one is thrown out of the export job so BullMQ retries it
 * with backoff; the message is what the dead-letter entry keeps as the reason.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    /** AET@host:port of the destination. */
    readonly destination: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The destination could not be reached, dropped the connection, or aborted the association. */
export class StoreNetworkError extends StoreError {}

/** No answer within the configured time (connect, association or a response). */
export class StoreTimeoutError extends StoreError {}

/** A-ASSOCIATE-RJ: the destination refused the association (wrong AE title, busy, ...). */
export class AssociationRejectedError extends StoreError {
  constructor(
    message: string,
    destination: string,
    readonly result: number,
    readonly source: number,
    readonly reason: number,
  ) {
    super(message, destination);
  }
}

/** The association was accepted but not for this SOP class / transfer syntax. */
export class PresentationContextRejectedError extends StoreError {}

/** The C-STORE response carried a failure status. */
export class StoreRefusedError extends StoreError {
  constructor(
    message: string,
    destination: string,
    readonly status: number,
    readonly sopInstanceUid: string,
  ) {
    super(message, destination);
  }
}
