/**
 * The values a stream's child sent that the consumer hasn't taken yet, each
 * with its size for the byte credit (stream-sink.ts), oldest first.
 */
export class StreamBuffer {
  private readonly values: unknown[] = [];
  private readonly sizes: number[] = [];
  private head = 0;

  get length(): number {
    return this.values.length - this.head;
  }

  push(value: unknown, bytes: number): void {
    this.values.push(value);
    this.sizes.push(bytes);
  }

  /** The size of the value `shift()` takes next. */
  firstBytes(): number {
    return this.sizes[this.head]!;
  }

  /** Takes the oldest value. */
  shift(): unknown {
    const value = this.values[this.head];
    this.values[this.head] = undefined;
    this.head++;
    if (this.head === this.values.length) this.clear();
    else if (this.head >= 1024 && this.head * 2 >= this.values.length) {
      // A consumer that never quite catches up: drop the taken half, or the arrays grow with the stream.
      this.values.splice(0, this.head);
      this.sizes.splice(0, this.head);
      this.head = 0;
    }
    return value;
  }

  clear(): void {
    this.values.length = 0;
    this.sizes.length = 0;
    this.head = 0;
  }
}
