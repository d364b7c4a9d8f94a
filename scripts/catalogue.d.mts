/** Types for scripts/catalogue.mjs (docs/FILES.md generated from each source file's first comment). */
export declare const ROOT_DIR: string;
export declare const OUTPUT: string;
export declare const ROOTS: readonly string[];
export declare const TOP_LEVEL: readonly string[];
export declare const NO_COMMENT_FORMAT: Readonly<Record<string, string>>;
export declare const FOLDERS: Readonly<Record<string, string>>;
export declare function listSourceFiles(root?: string): string[];
export declare function firstComment(text: string): string | null;
export declare function folderDescription(folder: string, root?: string): string | null;
export declare function buildCatalogue(root?: string): {
  text: string;
  files: string[];
  missing: string[];
  undescribed: string[];
};
