/** An encoded value plus whether any tag is inside (if not, decoding is free). */
export interface Encoded {
  readonly v: unknown;
  readonly t: boolean;
  /** Files holding large payloads (Tag.Blob), for the sender to delete once the call is over. */
  readonly f?: readonly string[];
  /**
   * On the wire only (protocol/wire-value.ts): `true` when `v` is packed,
   * V8-serialized as base64 text; `'file'` when `v` names the blob file,
   * listed in `f`, that holds the V8 bytes.
   */
  readonly p?: true | 'file';
}
