import { LOCALE } from "./format.ts";

const names = new Intl.DisplayNames([LOCALE], { type: "language" });

/** A course language's name in the UI's language ("ru" → "Russian"), from the runtime's own data. */
export function languageName(code: string): string {
  return names.of(code) ?? code;
}
