export interface Timeouts {
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
}
