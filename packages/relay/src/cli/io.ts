/** Environment and output streams of a command; tests replace them. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Results: tables, JSON, applied migrations. */
  readonly stdout: (text: string) => void;
  /** Error messages for people, and help. */
  readonly stderr: (text: string) => void;
}

export const processIo: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};
