/** Where the engine reports what the user does not need to act on (a CLI's stderr, the console). */
export interface Logger {
  warn(message: string): void;
}
