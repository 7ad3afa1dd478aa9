/** Bounds applied to repository metadata, which is read from untrusted mirrors. */

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** repomd.xml is read whole, because its exact bytes are what the signature covers. */
export const MAX_REPOMD_BYTES = 8 * MIB;
export const MAX_SIGNATURE_BYTES = 64 * 1024;
/** Data entries in repomd.xml. */
export const MAX_REPOMD_ENTRIES = 1000;

/** A metadata file without a declared size may not exceed these. */
export const MAX_COMPRESSED_BYTES = 4 * GIB;
export const MAX_EXPANDED_BYTES = 16 * GIB;

/** Characters the XML parser may buffer between two events (one tag or one text node). */
export const MAX_XML_TOKEN_CHARS = 4 * MIB;
export const MAX_XML_DEPTH = 32;
/** Any single value kept: a name, a path, a dependency expression, an attribute. */
export const MAX_FIELD_CHARS = 64 * 1024;

export const MAX_PACKAGES = 2_000_000;
/** Dependencies and files of one package, together. */
export const MAX_ENTRIES_PER_PACKAGE = 2_000_000;
/**
 * Characters of names, versions and paths kept from one primary.xml, or from one package of
 * filelists.xml: the bound on memory that the expanded size alone does not give.
 */
export const MAX_RETAINED_CHARS = 512 * MIB;
export const MAX_COMPS_GROUPS = 100_000;
export const MAX_COMPS_ENTRIES_PER_GROUP = 100_000;
