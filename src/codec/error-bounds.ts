/**
 * What a thrown value may carry across. A thrown error travels inline, in
 * one message the receiver parses whole: an error with a huge message, or an
 * AggregateError of huge numbers of errors, would cost the parent that
 * memory and time. So the sender cuts a thrown value down to these bounds, leaving a
 * note where it cut, and the receiver refuses one that is over them (only a
 * broken or subverted sender sends one). Values that aren't thrown (arguments,
 * results) are not cut: they have blob files and `maxMessageBytes`.
 */
import { errorTag, ErrorClassSource, type ErrorTag } from './tags.js';

/** Longest `message` or `stack` of one error, in characters (UTF-16 code units): 1 MiB. */
export const MAX_ERROR_TEXT = 1024 * 1024;
/** Longest `name` of an error, in characters. */
export const MAX_ERROR_NAME = 1024;
/** The messages and stacks of all the errors of one thrown value together, in characters: 8 MiB. */
export const MAX_ERROR_TEXT_TOTAL = 8 * 1024 * 1024;
/** Most errors in one thrown value: the error itself, its causes, `errors` lists, errors in properties; notes included. */
export const MAX_ERRORS = 1000;
/** Room for the note a cut text ends with, which the receiver allows past the bound. */
export const CUT_NOTE_ROOM = 100;

/** `text` cut to `limit` characters, with a note saying how much went; unchanged when it fits. */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Never split a surrogate pair: the half left would be a lone surrogate.
  const end = limit > 0 && isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return `${text.slice(0, end)}… [cut ${(text.length - end).toLocaleString('en-US')} characters by isolated-call]`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The budget of one thrown value as the encoder walks it. */
export class ErrorBudget {
  /** Errors encoded so far, notes included. */
  errors = 0;
  /** Characters of messages and stacks still allowed. */
  textLeft = MAX_ERROR_TEXT_TOTAL;
  private overflow: ErrorTag | undefined;

  /** `text` within the per-error and the total bound; what it keeps is taken from the total. */
  text(text: string): string {
    const kept = cutText(text, Math.min(MAX_ERROR_TEXT, this.textLeft));
    this.textLeft = Math.max(0, this.textLeft - Math.min(text.length, MAX_ERROR_TEXT));
    return kept;
  }

  /** How many more errors may still be encoded in full. */
  get errorsLeft(): number {
    return Math.max(0, MAX_ERRORS - this.errors);
  }

  /**
   * The one note that stands for every error met once the bound is reached.
   * Shared, so however many errors it stands for, it crosses once.
   */
  overflowNote(): ErrorTag {
    this.overflow ??= noteTag(`[cut by isolated-call: at most ${MAX_ERRORS.toLocaleString('en-US')} errors cross in one thrown value]`);
    return this.overflow;
  }

  /** The note ending an `errors` list that was cut after its first entries. */
  listNote(cut: number): ErrorTag {
    if (this.errorsLeft === 0) return this.overflowNote();
    this.errors++;
    return noteTag(
      `[cut ${cut.toLocaleString('en-US')} more errors by isolated-call: at most ${MAX_ERRORS.toLocaleString('en-US')} cross in one thrown value]`,
    );
  }
}

function noteTag(message: string): ErrorTag {
  return errorTag({ id: 'Error', r: ErrorClassSource.Builtin, n: 'Error', m: message, s: `Error: ${message}`, p: {} });
}

/** The receiver's count for one thrown value: why it is over the bounds, or undefined. */
export class ErrorBoundsCheck {
  private errors = 0;
  private text = 0;

  /** One more error tag with this name, message and stack. */
  over(name: string, message: string, stack: string | undefined): string | undefined {
    if (++this.errors > MAX_ERRORS + 1) return `it holds more than ${MAX_ERRORS} errors`;
    if (name.length > MAX_ERROR_NAME + CUT_NOTE_ROOM) return `its name is longer than ${MAX_ERROR_NAME} characters`;
    for (const text of [message, stack ?? '']) {
      if (text.length > MAX_ERROR_TEXT + CUT_NOTE_ROOM) return `its message or stack is longer than ${MAX_ERROR_TEXT} characters`;
      this.text += text.length;
    }
    // Each cut text may end with a note past the total.
    if (this.text > MAX_ERROR_TEXT_TOTAL + this.errors * 2 * CUT_NOTE_ROOM)
      return `the messages and stacks of its errors are longer than ${MAX_ERROR_TEXT_TOTAL} characters together`;
    return undefined;
  }
}
