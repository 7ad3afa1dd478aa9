/**
 * The recipe API: what a `recipes/<name>.recipe.js` module exports and what its functions are
 * given. Recipes are ES modules; an editor checks one against this file when the recipe starts
 * with `// @ts-check` and types its exports with JSDoc `@type` tags naming these interfaces.
 */

/** A file the recipe needs, pinned by its SHA-256. */
export interface RecipeSource {
  /** `https://`, `http://` or `file://` URL of the file. */
  readonly url: string;
  /** Lowercase hex SHA-256 of the file; a download that does not match it is refused. */
  readonly sha256: string;
  /** Other folders (base URLs) that serve the same file name, tried after the URL's own. */
  readonly mirrors?: readonly string[];
  /** The file's name in the build folder; the URL's last path segment unless given. */
  readonly name?: string;
}

export interface RecipePackage {
  /** Lowercase letters, digits and `._+-`, starting with a letter or digit; the file's name. */
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: string;
  readonly sources?: readonly RecipeSource[];
  /** Recipes installed before this one. */
  readonly depends?: readonly string[];
}

export type ArchiveKind = 'tar.gz' | 'tar.xz' | 'tar.zst' | 'zip';

export interface ShellOptions {
  /** Folder to run in, inside the build folder; the build folder unless given. */
  readonly cwd?: string;
  /** Added to the command's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * What a recipe's functions are given. Paths a helper takes (`from`, `archive`, `cwd`) are
 * relative to the build folder, or absolute inside it; a path leaving it is refused.
 */
export interface RecipeContext {
  readonly name: string;
  readonly version: string;
  /** Scratch folder: downloads land here, archives are extracted here, commands run here. */
  readonly buildDir: string;
  /** Staging root (`$OUT`): what the recipe installs, laid out as it will be under `/`. */
  readonly out: string;
  /** The time stamp builds should record (also `SOURCE_DATE_EPOCH` in commands). */
  readonly sourceDateEpoch: number;
  /** Fetches a source (in `acquire` only) and checks its SHA-256; returns its path. */
  download(source: RecipeSource): Promise<string>;
  /** Extracts an archive (the last download unless named) into `into` (the build folder). */
  extract(kind: ArchiveKind, archive?: string, into?: string): Promise<void>;
  /**
   * Runs an argument vector, or a script with `sh -c`, as the unprivileged build user, with
   * `$OUT` set and no network outside `acquire`. Returns its standard output.
   */
  shell(command: string | readonly string[], options?: ShellOptions): Promise<string>;
  /** Installs a program to `$OUT/usr/local/bin` (mode 0755). */
  installBin(from: string, name?: string): Promise<void>;
  /** Installs a library to `$OUT/usr/local/lib` (mode 0755). */
  installLib(from: string, name?: string): Promise<void>;
  /** Installs a manual page to `$OUT/usr/local/share/man/man<section>` (section from its name). */
  installMan(from: string, section?: number): Promise<void>;
  /** Installs a file to `$OUT/<to>` (`to` absolute, as under `/`), mode 0644 unless given. */
  installFile(from: string, to: string, mode?: number): Promise<void>;
  /** Prints a line of progress. */
  log(message: string): void;
}

export interface RecipeModule {
  readonly pkg: RecipePackage;
  acquire(ctx: RecipeContext): Promise<void>;
  /** Absent for recipes that install binaries as they come. */
  build?(ctx: RecipeContext): Promise<void>;
  install(ctx: RecipeContext): Promise<void>;
}
